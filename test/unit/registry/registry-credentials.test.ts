import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { registryCredentials } from '../../../bake/registry/registry-credentials';
import { tempDir } from '../golang/go-fixtures';

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function dockerConfig(config: unknown): Promise<string> {
  const dir = await tempDir('docker-config');
  await fs.writeFile(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('from the environment', () => {
  test('BAKE_REGISTRY_USERNAME and BAKE_REGISTRY_PASSWORD win over the Docker config', async () => {
    const DOCKER_CONFIG = await dockerConfig({ auths: { 'r.example.com': { auth: b64('config-user:config-pass') } } });
    expect(
      await registryCredentials('r.example.com', {
        BAKE_REGISTRY_USERNAME: 'env-user',
        BAKE_REGISTRY_PASSWORD: 'env-pass',
        DOCKER_CONFIG,
      }),
    ).toEqual({ username: 'env-user', password: 'env-pass' });
  });

  test('a user without a password is not enough: the Docker config is used', async () => {
    const DOCKER_CONFIG = await dockerConfig({ auths: { 'r.example.com': { auth: b64('config-user:config-pass') } } });
    expect(await registryCredentials('r.example.com', { BAKE_REGISTRY_USERNAME: 'env-user', DOCKER_CONFIG })).toEqual({
      username: 'config-user',
      password: 'config-pass',
    });
  });

  test('no variables and no Docker config: anonymous', async () => {
    expect(await registryCredentials('r.example.com', { DOCKER_CONFIG: await tempDir('empty') })).toBeUndefined();
  });

  test('HOME/.docker/config.json when DOCKER_CONFIG is unset', async () => {
    const home = await tempDir('home');
    await fs.mkdir(join(home, '.docker'));
    await fs.writeFile(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ auths: { 'r.example.com': { auth: b64('home-user:home-pass') } } }),
    );
    expect(await registryCredentials('r.example.com', { HOME: home })).toEqual({
      username: 'home-user',
      password: 'home-pass',
    });
  });
});

describe('from the Docker config auths', () => {
  let DOCKER_CONFIG: string;
  beforeAll(async () => {
    DOCKER_CONFIG = await dockerConfig({
      auths: {
        'r.example.com': { auth: b64('robot:pa:ss') },
        'https://index.docker.io/v1/': { auth: b64('hub-user:hub-pass') },
        '127.0.0.1:5000': { identitytoken: 'identity-token', auth: b64('ignored:ignored') },
        'plain.example.com': { username: 'plain-user', password: 'plain-pass' },
        'broken.example.com': { auth: b64('no-colon') },
      },
    });
  });

  test('auth is base64 user:password, split at the first colon', async () => {
    expect(await registryCredentials('r.example.com', { DOCKER_CONFIG })).toEqual({
      username: 'robot',
      password: 'pa:ss',
    });
  });

  test('a key written as a URL matches its host', async () => {
    expect(await registryCredentials('index.docker.io', { DOCKER_CONFIG })).toEqual({
      username: 'hub-user',
      password: 'hub-pass',
    });
  });

  test('an identitytoken is preferred to auth', async () => {
    expect(await registryCredentials('127.0.0.1:5000', { DOCKER_CONFIG })).toEqual({ identityToken: 'identity-token' });
  });

  test('username and password fields', async () => {
    expect(await registryCredentials('plain.example.com', { DOCKER_CONFIG })).toEqual({
      username: 'plain-user',
      password: 'plain-pass',
    });
  });

  test('an auth without a colon, or another host, is anonymous', async () => {
    expect(await registryCredentials('broken.example.com', { DOCKER_CONFIG })).toBeUndefined();
    expect(await registryCredentials('other.example.com', { DOCKER_CONFIG })).toBeUndefined();
  });

  test('a config that is not JSON: a usage error naming the file, never its contents', async () => {
    const dir = await dockerConfig(`{"auths": {"r.example.com": {"auth": "${b64('robot:hunter2')}"}}`);
    const err = await registryCredentials('r.example.com', { DOCKER_CONFIG: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect(err).toMatchObject({ exitCode: ExitCode.Usage, message: expect.stringContaining(join(dir, 'config.json')) });
    expect((err as Error).message).not.toContain('hunter2');
    expect((err as Error).message).not.toContain(b64('robot:hunter2'));
  });
});

describe('from a credential helper', () => {
  // A docker-credential-<name> that speaks the docker CLI protocol: `get`, the host on stdin, JSON out.
  const HELPER_USER = '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}';
  const HELPER = `#!/bin/sh
[ "$1" = get ] || exit 2
read -r host
case "$host" in
  r.example.com|missing.example.com) printf '${HELPER_USER}' "$host" ;;
  token.example.com) printf '{"ServerURL":"%s","Username":"<token>","Secret":"helper-identity"}' "$host" ;;
  garbled.example.com) printf 'not json' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const bin = await tempDir('helper-bin');
    await fs.writeFile(join(bin, 'docker-credential-fake'), HELPER, { mode: 0o755 });
    await fs.writeFile(
      join(bin, 'docker-credential-other'),
      `#!/bin/sh\nread -r host\nprintf '{"Username":"other-user","Secret":"other-secret"}'\n`,
      { mode: 0o755 },
    );
    const DOCKER_CONFIG = await dockerConfig({
      credsStore: 'fake',
      credHelpers: { 'per-host.example.com': 'other', 'missing.example.com': 'not-installed' },
      auths: {
        'r.example.com': { auth: b64('config-user:config-pass') },
        'fallback.example.com': { auth: b64('fallback-user:fallback-pass') },
        'garbled.example.com': { auth: b64('garbled-user:garbled-pass') },
        'missing.example.com': { auth: b64('m-user:m-pass') },
      },
    });
    // The helper is looked up on the PATH of the environment the config is read with, as the docker CLI does.
    env = { DOCKER_CONFIG, PATH: `${bin}:${process.env.PATH}` };
  });

  test('the credsStore helper answers for the host it is given, and wins over auths', async () => {
    expect(await registryCredentials('r.example.com', env)).toEqual({
      username: 'helper-user',
      password: 'helper-secret',
    });
  });

  test('a <token> user is an identity token', async () => {
    expect(await registryCredentials('token.example.com', env)).toEqual({ identityToken: 'helper-identity' });
  });

  test('a helper that does not know the host (exit 1), or answers garbage, falls back to auths', async () => {
    expect(await registryCredentials('fallback.example.com', env)).toEqual({
      username: 'fallback-user',
      password: 'fallback-pass',
    });
    expect(await registryCredentials('garbled.example.com', env)).toEqual({
      username: 'garbled-user',
      password: 'garbled-pass',
    });
  });

  test('a credHelpers entry for the host wins over credsStore', async () => {
    expect(await registryCredentials('per-host.example.com', env)).toEqual({
      username: 'other-user',
      password: 'other-secret',
    });
  });

  test('a helper that is not installed falls back to auths (not to credsStore)', async () => {
    expect(await registryCredentials('missing.example.com', env)).toEqual({ username: 'm-user', password: 'm-pass' });
  });
});
