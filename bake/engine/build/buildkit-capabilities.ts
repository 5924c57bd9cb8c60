import { execFile } from 'node:child_process';
import type Dockerode from 'dockerode';
import { errorMessage } from '../../common/errors';
import { childEnv } from './buildx-build';
import type { BuildkitCapabilities } from '../types';
import { hasContainerdStore } from './buildkit-features';

/** `docker buildx version` answers in milliseconds; longer means something is wrong with the CLI. */
const BUILDX_PROBE_TIMEOUT_MS = 15_000;

export interface ProbeOptions {
  /** The engine buildx is asked about (its BuildKit version), as DOCKER_HOST. */
  endpoint?: string;
  dockerCli?: string;
  env?: NodeJS.ProcessEnv;
}

/** Asks the engine for its image store and the machine for buildx (see BuildkitCapabilities). */
export async function probeBuildkitCapabilities(
  docker: Dockerode,
  options: ProbeOptions = {},
): Promise<BuildkitCapabilities> {
  const dockerCli = options.dockerCli ?? 'docker';
  const env = options.env ?? process.env;
  const [info, version] = await Promise.all([
    docker.info() as Promise<{ DriverStatus?: unknown }>,
    runCli(dockerCli, ['buildx', 'version'], env),
  ]);
  const capabilities: BuildkitCapabilities = {
    containerdStore: hasContainerdStore(info.DriverStatus),
    buildx: version.ok ? true : `\`${dockerCli} buildx version\` failed: ${version.output}`,
  };
  if (!version.ok) return capabilities;
  capabilities.buildxVersion = parseBuildxVersion(version.output);
  if (options.endpoint) {
    const inspect = await runCli(dockerCli, ['buildx', 'inspect'], childEnv(env, options.endpoint));
    if (inspect.ok) capabilities.buildkitVersion = parseBuildkitVersion(inspect.output);
  }
  return capabilities;
}

/** `github.com/docker/buildx v0.13.1 <commit>` (Debian: `0.13.1+ds1 0.13.1+ds1-3`): the version. */
export function parseBuildxVersion(output: string): string | undefined {
  return /^\S*buildx\s+v?(\d+\.\d+\.\d+)/m.exec(output)?.[1];
}

/**
 * `BuildKit version: v0.13.2` of `docker buildx inspect` (older buildx: `Buildkit:`). Builds
 * that do not stamp it (Debian's engine reports `v0.0.0+unknown`) give undefined.
 */
export function parseBuildkitVersion(output: string): string | undefined {
  const version = /^Build[kK]it(?: version)?:\s*v?(\d+\.\d+\.\d+)/m.exec(output)?.[1];
  return version === '0.0.0' ? undefined : version;
}

function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(cli, args, { env, timeout: BUILDX_PROBE_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, output: stdout });
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${cli} on PATH` : stderr.trim();
      resolve({ ok: false, output: reason || errorMessage(err) });
    });
  });
}
