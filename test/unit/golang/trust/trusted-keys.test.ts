import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../../bake/common/errors';
import { GO_SIGNING_KEY_FINGERPRINT } from '../../../../bake/golang/trust/go-signing-key';
import { loadTrustedKeys } from '../../../../bake/golang/trust/trusted-keys';
import { makeTestKey, tempDir, type TestKey } from '../go-fixtures';

let a: TestKey;
let b: TestKey;
let dir: string;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTestKey('Site A'), makeTestKey('Site B')]);
  dir = await tempDir('keys');
  await fs.writeFile(join(dir, 'a.asc'), a.armoredPublicKey);
  await fs.writeFile(join(dir, 'b.asc'), b.armoredPublicKey);
  await fs.writeFile(join(dir, 'both.asc'), a.armoredPublicKey + b.armoredPublicKey);
  await fs.writeFile(join(dir, 'secret.asc'), a.armoredPrivateKey);
  await fs.writeFile(join(dir, 'junk.asc'), 'not a key\n');
});

describe('loadTrustedKeys', () => {
  it('trusts the embedded Go key alone by default', async () => {
    const keys = await loadTrustedKeys({ files: [], env: {} });
    expect(keys.map((k) => k.fingerprint)).toEqual([GO_SIGNING_KEY_FINGERPRINT]);
  });

  it('adds --trust-key files and BAKE_TRUST_KEYS paths, once each', async () => {
    const keys = await loadTrustedKeys({
      files: [join(dir, 'a.asc')],
      env: { BAKE_TRUST_KEYS: `${join(dir, 'b.asc')}::${join(dir, 'a.asc')}` },
    });
    expect(keys.map((k) => k.fingerprint)).toEqual([
      GO_SIGNING_KEY_FINGERPRINT,
      a.trusted.fingerprint,
      b.trusted.fingerprint,
    ]);
    expect(keys[1].source).toBe(`--trust-key ${join(dir, 'a.asc')}`);
    expect(keys[2].source).toBe(`BAKE_TRUST_KEYS ${join(dir, 'b.asc')}`);
  });

  it('reads every key of a file holding several', async () => {
    const keys = await loadTrustedKeys({ files: [join(dir, 'both.asc')], env: {} });
    expect(keys.map((k) => k.userId)).toEqual([
      expect.stringContaining('Google'),
      'Site A <site-a@example.test>',
      'Site B <site-b@example.test>',
    ]);
  });

  it.each([
    ['a missing file', 'missing.asc', '--trust-key MISSING: cannot read the key file (ENOENT)'],
    ['a file that is not a key', 'junk.asc', '--trust-key JUNK: not an ASCII-armored OpenPGP public key'],
    ['a private key', 'secret.asc', '--trust-key SECRET: holds a private key; pass the public key only'],
  ])('rejects %s, naming it', async (_name, file, message) => {
    const path = join(dir, file);
    const err = await loadTrustedKeys({ files: [path], env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Usage);
    expect((err as Error).message).toContain(message.replace(/MISSING|JUNK|SECRET/, path));
  });

  it('names the environment variable for a bad BAKE_TRUST_KEYS path', async () => {
    await expect(loadTrustedKeys({ files: [], env: { BAKE_TRUST_KEYS: join(dir, 'nope.asc') } })).rejects.toThrow(
      `BAKE_TRUST_KEYS ${join(dir, 'nope.asc')}: cannot read the key file (ENOENT)`,
    );
  });
});
