import { mkdirSync, mkdtempSync, promises as fs, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopEmbeddedEngine } from '../../../bake/engine/daemon/embedded-engine';
import { engineLayout } from '../../../bake/engine/daemon/engine-layout';
import { clearOrphanContainerd } from '../../../bake/engine/daemon/orphan-containerd';
import { findCommand } from '../../../bake/engine/host/host-tool';
import { unmountUnder } from './leftover-mounts';
import { createEngineNetns, engineNetnsUnsupported, type EngineNetns } from './engine-netns';

/**
 * A state directory and socket no other engine uses, so bake starts an embedded dockerd of
 * its own there, whatever answers on the standard socket. bake finds `dockerd` through PATH:
 * a wrapper first on `path` runs the real one inside a network namespace with NAT (see
 * engine-netns), with no test hook in the product. Nothing is started here; bake does that.
 */
export interface PrivateEmbeddedEngine {
  stateDir: string;
  endpoint: string;
  /** PATH for bake processes (and this one, when it connects): the wrapper directory first. */
  path: string;
  netns: EngineNetns;
  /**
   * Stops the engine bake started, clears what a killed one left (containerd, mounts),
   * removes the namespace and the directory.
   */
  stop(): Promise<void>;
}

/** Why this machine cannot run one, or undefined when it can. */
export const privateEmbeddedEngineUnsupported = engineNetnsUnsupported;

export function preparePrivateEmbeddedEngine(netnsName: string, prefix: string): PrivateEmbeddedEngine {
  const dockerd = findCommand('dockerd')!;
  const nsenter = findCommand('nsenter')!;
  // Short: dockerd's and containerd's sockets under it must fit in 108 bytes.
  const stateDir = mkdtempSync('/tmp/bake-pe-');
  const netns = createEngineNetns({ name: netnsName, prefix });
  const bin = join(stateDir, 'bin');
  mkdirSync(bin);
  // exec keeps the pid: the pidfile, bake's record and its stop guard all name the real dockerd.
  writeFileSync(join(bin, 'dockerd'), `#!/bin/sh\nexec ${nsenter} --net=${netns.path} ${dockerd} "$@"\n`, {
    mode: 0o755,
  });
  const stop = async () => {
    try {
      await stopEmbeddedEngine(stateDir);
      await clearOrphanContainerd(engineLayout(stateDir));
    } finally {
      // The host's network goes back to how it was even when the engine would not stop.
      netns.remove();
      unmountUnder(stateDir);
      await fs.rm(stateDir, { recursive: true, force: true });
    }
  };
  return {
    stateDir,
    endpoint: `unix://${join(stateDir, 'd.sock')}`,
    path: `${bin}:${process.env.PATH ?? ''}`,
    netns,
    stop,
  };
}
