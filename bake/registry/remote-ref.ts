import { BakeError, ExitCode } from '../common/errors';

/** A registry location images are published under: `host[:port]/prefix`. */
export interface RegistryLocation {
  host: string;
  /** Repository path prefix, e.g. "golden" or "platform/images"; may be empty. */
  prefix: string;
}

const HOST = /^(localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(:\d+)?$/i;
const PATH_COMPONENT = /^[a-z0-9]+([._-][a-z0-9]+)*$/;

/** `--push` / `--registry` values: `127.0.0.1:5000/golden`, `registry.example.com/team/images`. */
export function parseRegistryLocation(value: string): RegistryLocation {
  const trimmed = value.replace(/\/+$/, '').replace(/^(https?|oci):\/\//, '');
  const [host = '', ...path] = trimmed.split('/');
  if (!HOST.test(host) || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    throw new BakeError(
      `registry "${value}": expected HOST[:PORT]/PREFIX, e.g. registry.example.com/golden or 127.0.0.1:5000/golden`,
      ExitCode.Usage,
    );
  }
  const bad = path.find((p) => !PATH_COMPONENT.test(p));
  if (bad !== undefined)
    throw new BakeError(`registry "${value}": "${bad}" is not a valid repository path component`, ExitCode.Usage);
  return { host, prefix: path.join('/') };
}

export function formatLocation(location: RegistryLocation): string {
  return location.prefix ? `${location.host}/${location.prefix}` : location.host;
}

/** The repository path inside the registry: `prefix/name`. */
export function repositoryPath(location: RegistryLocation, name: string): string {
  return location.prefix ? `${location.prefix}/${name}` : name;
}

/** Loopback registries are spoken to over plain http, as the Docker engine does; others over https. */
export function registryScheme(host: string): 'http' | 'https' {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host) ? 'http' : 'https';
}
