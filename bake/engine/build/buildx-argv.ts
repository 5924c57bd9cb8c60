import { BakeError, ExitCode } from '../../common/errors';
import type { BuildRequest, BuildSecret } from '../types';

/**
 * The argv (after `docker`) of one `docker buildx build`, with the same context, Dockerfile,
 * target, build args and labels the dockerode path sends. Tags are left out on purpose, as on
 * that path: the caller tags the image id from the metadata file once the build has succeeded.
 * An array for execFile, never a shell string; it holds no credentials (buildx reads them from
 * the Docker config, and secrets from their files), so it may be logged.
 */
export function buildxArgv(request: BuildRequest, metadataFile: string): string[] {
  const features = request.buildkit ?? {};
  const platforms = features.platforms?.length ? features.platforms : [request.platform];
  const argv = ['buildx', 'build', '--progress=rawjson', `--metadata-file=${metadataFile}`];
  argv.push(`--platform=${platforms.join(',')}`);
  // buildx adds a min provenance by default; off unless asked, so an image's digest does not
  // depend on which path built it.
  argv.push(features.provenance ? '--provenance=mode=max' : '--provenance=false');
  if (request.target) argv.push(`--target=${request.target}`);
  if (request.noCache) argv.push('--no-cache');
  for (const [key, value] of Object.entries(request.buildArgs)) argv.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(request.labels)) argv.push('--label', `${key}=${value}`);
  for (const ref of features.cacheFrom ?? []) argv.push(`--cache-from=type=registry,ref=${registryRef(ref)}`);
  if (features.cacheTo) argv.push(`--cache-to=type=registry,ref=${registryRef(features.cacheTo)},mode=max`);
  // The client reads each file and serves it to the build's secret mounts over its session; the
  // argv names the file, never its content.
  for (const secret of request.secrets ?? []) argv.push(`--secret=${secretSpec(secret)}`);
  // `--` ends the options: a context directory starting with a dash stays a path.
  argv.push('--', request.contextDir);
  return argv;
}

/**
 * A registry reference as buildx's csv options take it: no scheme, no `user:pass@` (credentials
 * belong in the Docker config, never on a command line), nothing that would start a new option.
 */
export function registryRef(ref: string): string {
  if (!/^[a-z0-9][a-z0-9.\-:[\]]*(\/[a-z0-9._\-/]+)+(:[\w][\w.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(ref))
    throw new BakeError(
      `${JSON.stringify(ref)} is not a registry reference (HOST[:PORT]/REPOSITORY[:TAG])`,
      ExitCode.Usage,
      'credentials go in `docker login` or BAKE_REGISTRY_USERNAME/PASSWORD, not in the reference',
    );
  return ref;
}

/** `id=ID,src=FILE` as buildx's csv option takes it: nothing in either part may start another field. */
export function secretSpec(secret: BuildSecret): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(secret.id))
    throw new BakeError(`build secret id ${JSON.stringify(secret.id)} is not a plain name`, ExitCode.Usage);
  if (!secret.file.startsWith('/') || /[,"\n\r]/.test(secret.file))
    throw new BakeError(
      `build secret ${secret.id}: the file must be an absolute path without commas, quotes or line breaks`,
      ExitCode.Usage,
    );
  return `id=${secret.id},src=${secret.file}`;
}
