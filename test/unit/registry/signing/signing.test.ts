import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../../bake/common/errors';
import type { CommandRunner } from '../../../../bake/common/types';
import { attestArgs, signArgs, verifyArgs } from '../../../../bake/registry/signing/cosign-cli';
import { readinessPredicate } from '../../../../bake/registry/signing/readiness-predicate';
import { openSigner } from '../../../../bake/registry/signing/signer';
import type { Report } from '../../../../bake/readiness/types';

const KEY = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nabc\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';

describe('cosign arguments', () => {
  test('offline signing; --allow-insecure-registry only for loopback registries; values joined to flags', () => {
    expect(signArgs('127.0.0.1:5000/g/debian12-go@sha256:ab', 'k.key')).toEqual([
      'sign',
      '--key=k.key',
      '--tlog-upload=false',
      '--yes',
      '--allow-insecure-registry',
      '127.0.0.1:5000/g/debian12-go@sha256:ab',
    ]);
    expect(signArgs('registry.example.com/g/x@sha256:ab', '-evil')).not.toContain('--allow-insecure-registry');
    expect(signArgs('registry.example.com/g/x@sha256:ab', '-evil')).toContain('--key=-evil');
    expect(attestArgs('localhost:5000/x@sha256:ab', 'k', 'slsaprovenance1', '/p.json')).toEqual(
      expect.arrayContaining(['--type=slsaprovenance1', '--predicate=/p.json', '--replace', '--tlog-upload=false']),
    );
    expect(verifyArgs('registry.example.com/x@sha256:ab', 'k.pub')).toContain('--insecure-ignore-tlog');
  });
});

describe('openSigner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'bake-signer-'));
    await fs.writeFile(join(dir, 'cosign.key'), KEY);
    await fs.writeFile(join(dir, 'not-a-key'), 'hello');
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const run =
    (code: number, stdout = '', stderr = ''): CommandRunner =>
    async () => ({ code, stdout, stderr });
  const open = (keyPath: string, env: NodeJS.ProcessEnv, runner: CommandRunner) =>
    openSigner({ keyPath, cosignPath: 'cosign', env, run: runner });

  test('a key that opens gives its public key id', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----';
    const signer = await open(join(dir, 'cosign.key'), { COSIGN_PASSWORD: 'x' }, run(0, `${pem}\n`));
    expect(signer.publicKey).toBe(pem);
    expect(signer.keyId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test.each([
    ['a missing file', 'missing.key', { COSIGN_PASSWORD: 'x' }, 'the signing key cannot be read (ENOENT)'],
    ['not a cosign key', 'not-a-key', { COSIGN_PASSWORD: 'x' }, 'the signing key is not a cosign private key'],
    ['no COSIGN_PASSWORD', 'cosign.key', {}, 'needs its password in COSIGN_PASSWORD'],
  ])('%s is a usage error that never names the file', async (_what, file, env, message) => {
    const err = await open(join(dir, file), env, run(0)).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Usage, message: expect.stringContaining(message) });
    expect((err as Error).message).not.toContain(dir);
  });

  test("a wrong password: cosign's reason, with the key's path taken out", async () => {
    const path = join(dir, 'cosign.key');
    const err = await open(
      path,
      { COSIGN_PASSWORD: 'bad' },
      run(1, '', `Error: reading ${path}: decrypt: failed\n`),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.Usage });
    expect((err as Error).message).toBe('cosign cannot open the signing key: reading <signing key>: decrypt: failed');
  });
});

test('the readiness predicate gives each check by id, skips included', () => {
  const report = {
    schema: 'bake.report/v1',
    artifact: { kind: 'toolchain', ref: 'x', id: 'sha256:1', platform: 'linux/amd64' },
    target: 'debian12-amd64',
    passed: true,
    results: [
      { id: 'go.env', status: 'pass', description: '', reason: '', evidence: [], durationMs: 1 },
      { id: 'go.version', status: 'pass', description: '', reason: '', evidence: [], durationMs: 1 },
    ],
    skipped: [{ id: 'go.login-shell', reason: 'recipe' }],
    startedAt: '2026-12-01T00:00:00Z',
    durationMs: 2,
  } as Report;
  expect(readinessPredicate(report, 'sha256:rep', 'sha256:in')).toEqual({
    target: 'debian12-amd64',
    kind: 'toolchain',
    inputsDigest: 'sha256:in',
    reportDigest: 'sha256:rep',
    passed: true,
    checks: { 'go.env': 'pass', 'go.version': 'pass', 'go.login-shell': 'skip' },
    report,
  });
});
