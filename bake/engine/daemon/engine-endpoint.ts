import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { BakeError, ExitCode } from '../../common/errors';

export const STANDARD_SOCKET = '/var/run/docker.sock';
export const STANDARD_ENDPOINT = `unix://${STANDARD_SOCKET}`;

/** The endpoint bake tries first: the one given, else DOCKER_HOST, else the standard socket. */
export function chooseEndpoint(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
): { endpoint: string; source: 'option' | 'DOCKER_HOST' | 'default' } {
  if (explicit) return { endpoint: normalizeEndpoint(explicit), source: 'option' };
  if (env.DOCKER_HOST) return { endpoint: normalizeEndpoint(env.DOCKER_HOST), source: 'DOCKER_HOST' };
  return { endpoint: STANDARD_ENDPOINT, source: 'default' };
}

/** A bare path means a unix socket. */
export function normalizeEndpoint(endpoint: string): string {
  return endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
}

export function socketPathOf(endpoint: string): string | undefined {
  return endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : undefined;
}

/**
 * dockerode options for an endpoint. TCP follows the docker CLI's conventions: TLS when
 * DOCKER_TLS_VERIFY is set, with ca/cert/key from DOCKER_CERT_PATH (or ~/.docker).
 */
export function dockerodeOptions(endpoint: string, env: NodeJS.ProcessEnv): Dockerode.DockerOptions {
  const socketPath = socketPathOf(endpoint);
  if (socketPath) return { socketPath };
  const ssh = /^ssh:\/\/(?:([^@/]+)@)?([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(endpoint);
  if (ssh) {
    // As `docker -H ssh://...`: the remote user's engine over SSH, keys from the SSH agent.
    return {
      protocol: 'ssh',
      host: ssh[2],
      port: Number(ssh[3] ?? 22),
      username: ssh[1],
      sshOptions: { agent: env.SSH_AUTH_SOCK },
    };
  }
  const match = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(endpoint);
  if (!match) {
    throw new BakeError(
      `unsupported engine endpoint "${endpoint}": use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host`,
      ExitCode.Usage,
    );
  }
  const [, scheme, host, port] = match;
  const tls = scheme === 'https' || (!!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0');
  if (!tls) return { host, port: Number(port ?? 2375), protocol: 'http' };
  const certDir = env.DOCKER_CERT_PATH || join(env.HOME ?? '', '.docker');
  const read = (name: string) => {
    try {
      return readFileSync(join(certDir, name));
    } catch {
      throw new BakeError(
        `TLS to ${endpoint} needs ${name} in ${certDir} (DOCKER_CERT_PATH)`,
        ExitCode.EngineUnavailable,
      );
    }
  };
  return {
    host,
    port: Number(port ?? 2376),
    protocol: 'https',
    ca: read('ca.pem'),
    cert: read('cert.pem'),
    key: read('key.pem'),
  };
}
