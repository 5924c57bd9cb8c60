import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { DockerEngine } from '../../../bake/engine/docker-engine';
import { findCommand } from '../../../bake/engine/host/host-tool';
import { createEngineNetns, engineNetnsUnsupported, type EngineNetns, type EngineNetnsSpec } from './engine-netns';
import { unmountUnder } from './leftover-mounts';
import { type BackgroundProcess, startBackground, stopBackground, waitUntilReady } from './background-process';

/**
 * A second Docker engine on this machine, standing in for a remote builder: its own socket and
 * state, in a network namespace of its own (see engine-netns).
 */
export interface SecondEngine {
  endpoint: string;
  engine: DockerEngine;
  netns: EngineNetns;
  stop(): Promise<void>;
}

/** Why this machine cannot run a second engine, or undefined when it can. */
export const secondEngineUnsupported = engineNetnsUnsupported;

export interface SecondEngineOptions {
  /** The dockerd to run (default: the one on PATH), e.g. an older release unpacked beside it. */
  dockerd?: string;
  /** More daemon flags, e.g. a feature switch. */
  args?: string[];
  /**
   * Its network namespace; two second engines at once need two (see EngineNetnsSpec). An
   * existing one (with services of the test in it) is used and left in place on stop.
   */
  netns?: EngineNetnsSpec | EngineNetns;
}

/** Starts from an empty data root each time, as a new builder would: no image, no build cache; stop removes it. */
export async function startSecondEngine(dir: string, options: SecondEngineOptions = {}): Promise<SecondEngine> {
  await fs.rm(join(dir, 'data'), { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const given = options.netns;
  const netns =
    given && 'path' in given ? given : createEngineNetns(given ?? { name: 'bake-engine2', prefix: '10.203.77' });
  const socket = join(dir, 'docker.sock');
  const proc: BackgroundProcess = startBackground(
    'nsenter',
    [
      `--net=${netns.path}`,
      options.dockerd ?? findCommand('dockerd')!,
      `--host=unix://${socket}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      ...(options.args ?? []),
    ],
    { logFile: join(dir, 'dockerd.log') },
  );
  const endpoint = `unix://${socket}`;
  const engine = DockerEngine.at(endpoint);
  // Its images are the test's alone: they go with it, so a run leaves no gigabytes behind.
  const stop = async () => {
    try {
      await stopBackground(proc, 30_000);
    } finally {
      if (netns !== given) netns.remove();
      unmountUnder(dir);
      await fs.rm(join(dir, 'data'), { recursive: true, force: true });
    }
  };
  try {
    await waitUntilReady('second dockerd', proc, () => engine.ping().then(() => true), 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, engine, netns, stop };
}
