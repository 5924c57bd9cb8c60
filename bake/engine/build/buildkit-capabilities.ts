import { execFile } from 'node:child_process';
import type Dockerode from 'dockerode';
import { errorMessage } from '../../common/errors';
import { type BuildkitCapabilities, hasContainerdStore } from './buildkit-features';

/** `docker buildx version` answers in milliseconds; longer means something is wrong with the CLI. */
const BUILDX_PROBE_TIMEOUT_MS = 15_000;

/** Asks the engine for its image store and the machine for buildx (see BuildkitCapabilities). */
export async function probeBuildkitCapabilities(
  docker: Dockerode,
  dockerCli = 'docker',
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuildkitCapabilities> {
  const [info, buildx] = await Promise.all([
    docker.info() as Promise<{ DriverStatus?: unknown }>,
    probeBuildx(dockerCli, env),
  ]);
  return { containerdStore: hasContainerdStore(info.DriverStatus), buildx };
}

function probeBuildx(dockerCli: string, env: NodeJS.ProcessEnv): Promise<true | string> {
  return new Promise((resolve) => {
    execFile(dockerCli, ['buildx', 'version'], { env, timeout: BUILDX_PROBE_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (!err) return resolve(true);
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${dockerCli} on PATH` : stderr.trim();
      resolve(`\`${dockerCli} buildx version\` failed: ${reason || errorMessage(err)}`);
    });
  });
}
