/** A registry reference split into what the distribution API takes. */
export interface ImageReference {
  /** The API host: `registry-1.docker.io` for Docker Hub references. */
  host: string;
  repository: string;
  tag: string;
}

/**
 * Splits `registry/repository:tag` as Docker does: a first component without a dot, colon or
 * `localhost` is a Docker Hub repository (`debian:bookworm` is `docker.io/library/debian`).
 */
export function parseImageReference(ref: string): ImageReference {
  const colon = ref.lastIndexOf(':');
  const slash = ref.lastIndexOf('/');
  if (colon <= slash) throw new Error(`not a tagged image reference: ${ref}`);
  const name = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  const first = name.split('/')[0];
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  let repository = hasHost ? name.slice(first.length + 1) : name;
  if (host === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { host: host === 'docker.io' ? 'registry-1.docker.io' : host, repository, tag };
}
