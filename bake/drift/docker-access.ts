import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { sleep } from '../common/sleep';
import { loginShellArgv } from '../readiness/drivers/container-driver';
import { OutputCollector } from '../readiness/drivers/output-collector';
import { readinessLabels } from '../readiness/drivers/readiness-labels';
import type { ExecOptions, ExecResult } from '../readiness/types';
import type { ArtifactAccess } from './types';

const OUTPUT_LIMIT = 4 * 1024 * 1024;
const EXEC_TIMEOUT_MS = 5 * 60_000;

/**
 * A container as it runs: its own environment for commands (an exec inherits the container's
 * config, as its processes do), its filesystem through the archive API. A stopped container is
 * read but not run.
 */
export async function containerAccess(docker: Dockerode, id: string): Promise<ArtifactAccess & { image: string }> {
  const container = docker.getContainer(id);
  const info = await container.inspect();
  return {
    image: info.Image,
    archive: (path) => archiveOf(container, path),
    ...(info.State.Running
      ? { exec: (argv: string[], opts?: ExecOptions) => execIn(docker, container, argv, opts) }
      : {}),
    processConfig: () => Promise.resolve({ env: envMap(info.Config.Env), user: info.Config.User ?? '' }),
  };
}

/**
 * An image as it was shipped: a container created from it, with networking off, started (to run
 * `go env`) only when `run` is asked and the image has a shell. `close()` removes it.
 */
export async function imageAccess(
  docker: Dockerode,
  image: string,
  options: { run: boolean; runId: string },
): Promise<ArtifactAccess & { close(): Promise<void> }> {
  const container = await docker.createContainer({
    Image: image,
    ...(options.run ? { Entrypoint: ['sleep'], Cmd: ['infinity'] } : { Cmd: ['/bake-never-started'] }),
    Labels: readinessLabels(options.runId),
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  const close = () =>
    container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    );
  try {
    if (options.run) await container.start();
    const info = await docker.getImage(image).inspect();
    return {
      archive: (path) => archiveOf(container, path),
      ...(options.run ? { exec: (argv: string[], opts?: ExecOptions) => execIn(docker, container, argv, opts) } : {}),
      processConfig: () => Promise.resolve({ env: envMap(info.Config?.Env), user: info.Config?.User ?? '' }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function archiveOf(container: Dockerode.Container, path: string): Promise<Readable | undefined> {
  try {
    return (await container.getArchive({ path })) as Readable;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

async function execIn(
  docker: Dockerode,
  container: Dockerode.Container,
  argv: string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: opts.loginShell ? loginShellArgv(argv, opts.env ?? {}) : argv,
    User: opts.user ?? '',
    Env: opts.loginShell ? undefined : Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Readable;
  const stdout = new OutputCollector(OUTPUT_LIMIT);
  const stderr = new OutputCollector(OUTPUT_LIMIT);
  docker.modem.demuxStream(stream, stdout, stderr);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('end', resolve).once('close', resolve).once('error', reject);
      timer = setTimeout(() => reject(new Error(`"${argv.join(' ')}" did not finish in time`)), EXEC_TIMEOUT_MS);
    });
  } finally {
    clearTimeout(timer);
    stream.destroy();
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const state = await exec.inspect();
    if (!state.Running && state.ExitCode !== null)
      return { exitCode: state.ExitCode, stdout: stdout.text(), stderr: stderr.text() };
    await sleep(20);
  }
  throw new Error('the engine did not report an exit code');
}

function envMap(pairs: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
