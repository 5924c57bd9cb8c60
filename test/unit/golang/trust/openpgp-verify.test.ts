import { BakeError, ExitCode } from '../../../../bake/common/errors';
import { verifyDetachedSignature } from '../../../../bake/golang/trust/openpgp-verify';
import { embeddedGoKey } from '../../../../bake/golang/trust/trusted-keys';
import { keyIdOf, makeTestKey, signDetached, type TestKey } from '../go-fixtures';

let site: TestKey;
let stranger: TestKey;
const data = Buffer.from('0123456789abcdef  go1.22.12.linux-arm64.tar.gz\n');

beforeAll(async () => {
  [site, stranger] = await Promise.all([makeTestKey('Site Mirror'), makeTestKey('Stranger')]);
});

async function failure(promise: Promise<unknown>): Promise<BakeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  expect((err as BakeError).exitCode).toBe(ExitCode.Untrusted);
  return err as BakeError;
}

describe('verifyDetachedSignature', () => {
  it('accepts a good signature by a trusted key and names the signer', async () => {
    const armoredSignature = await signDetached(data, site);
    const goKey = await embeddedGoKey();
    const result = await verifyDetachedSignature({
      data,
      armoredSignature,
      keys: [goKey, site.trusted],
      what: 'M/SHA256SUMS',
    });
    expect(result).toEqual({
      fingerprint: site.trusted.fingerprint,
      userId: site.trusted.userId,
      signingKeyId: keyIdOf(site),
    });
  });

  it('rejects altered data as a bad signature, naming the file', async () => {
    const armoredSignature = await signDetached(data, site);
    const altered = Buffer.from(data);
    altered[0] ^= 1;
    const err = await failure(
      verifyDetachedSignature({ data: altered, armoredSignature, keys: [site.trusted], what: 'M/SHA256SUMS' }),
    );
    expect(err.message).toMatch(
      new RegExp(`^M/SHA256SUMS: bad signature by key ${keyIdOf(site)} \\(Site Mirror <site-mirror@example.test>\\): `),
    );
  });

  it('rejects a signature by a key that is not trusted, printing its key id', async () => {
    const armoredSignature = await signDetached(data, stranger);
    const err = await failure(
      verifyDetachedSignature({ data, armoredSignature, keys: [site.trusted], what: 'M/SHA256SUMS' }),
    );
    expect(err.message).toBe(
      `M/SHA256SUMS: signed by key ${keyIdOf(stranger)}, ` +
        'which is not trusted (trust it with --trust-key FILE or BAKE_TRUST_KEYS)',
    );
  });

  it('rejects a missing (empty) signature', async () => {
    const err = await failure(
      verifyDetachedSignature({ data, armoredSignature: '  \n', keys: [site.trusted], what: 'M/SHA256SUMS' }),
    );
    expect(err.message).toBe('M/SHA256SUMS: missing signature (empty signature file)');
  });

  it('rejects unreadable armor', async () => {
    const err = await failure(
      verifyDetachedSignature({
        data,
        armoredSignature: '-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n',
        keys: [site.trusted],
        what: 'M/SHA256SUMS',
      }),
    );
    expect(err.message).toMatch(/^M\/SHA256SUMS: unreadable signature armor \(/);
    const notArmor = await failure(
      verifyDetachedSignature({ data, armoredSignature: 'hello', keys: [site.trusted], what: 'x.asc' }),
    );
    expect(notArmor.message).toMatch(/^x\.asc: unreadable signature armor/);
  });

  it('rejects when no key is trusted at all', async () => {
    const armoredSignature = await signDetached(data, site);
    const err = await failure(verifyDetachedSignature({ data, armoredSignature, keys: [], what: 'f' }));
    expect(err.message).toBe('f: no trusted keys to verify the signature with');
  });
});
