import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';

/** What a registry accepts as proof: a user and password (or token), or an identity token. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * Credentials for a registry host, from where the docker CLI keeps them, never from a
 * recipe: BAKE_REGISTRY_USERNAME/BAKE_REGISTRY_PASSWORD, else the Docker config
 * ($DOCKER_CONFIG/config.json or ~/.docker/config.json) with its credential helpers.
 * undefined means anonymous access.
 */
export async function registryCredentials(
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RegistryCredentials | undefined> {
  if (env.BAKE_REGISTRY_USERNAME && env.BAKE_REGISTRY_PASSWORD)
    return { username: env.BAKE_REGISTRY_USERNAME, password: env.BAKE_REGISTRY_PASSWORD };
  const configPath = join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
  const text = await fs.readFile(configPath, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch {
    throw new BakeError(`${configPath} is not valid JSON; cannot read registry credentials`, ExitCode.Usage);
  }
  const helper = config.credHelpers?.[host] ?? config.credsStore;
  if (helper) {
    const fromHelper = await credentialHelper(helper, host, env);
    if (fromHelper) return fromHelper;
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => hostOf(key) === host)?.[1];
  if (!entry) return undefined;
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 ? { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
  }
  return entry.username && entry.password ? { username: entry.username, password: entry.password } : undefined;
}

/**
 * `docker-credential-<helper> get`, the docker CLI's protocol: the host on stdin, JSON out;
 * run in the same environment the config was found with.
 */
function credentialHelper(
  helper: string,
  host: string,
  env: NodeJS.ProcessEnv,
): Promise<RegistryCredentials | undefined> {
  return new Promise((resolve) => {
    const child = spawn(`docker-credential-${helper}`, ['get'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      if (code !== 0) return resolve(undefined);
      try {
        const { Username, Secret } = JSON.parse(out) as { Username?: string; Secret?: string };
        resolve(
          Username === '<token>'
            ? { identityToken: Secret }
            : Username && Secret
              ? { username: Username, password: Secret }
              : undefined,
        );
      } catch {
        resolve(undefined);
      }
    });
    child.stdin.end(host);
  });
}

/** Docker config keys are hosts or URLs (`https://index.docker.io/v1/`). */
function hostOf(key: string): string {
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}
