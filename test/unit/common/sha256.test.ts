import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHA256_HEX, sha256File, sha256Hex } from '../../../bake/common/sha256';
import { scratchDir } from '../scratch-dir';

// sha256("abc"), FIPS 180-2's test vector.
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('sha256', () => {
  test('of text and bytes', () => {
    expect(sha256Hex('abc')).toBe(ABC);
    expect(sha256Hex(Buffer.from('abc'))).toBe(ABC);
  });

  test('of a file, streamed, with its size (also when larger than one read)', async () => {
    const dir = scratchDir('bake-sha-');
    writeFileSync(join(dir, 'abc'), 'abc');
    expect(await sha256File(join(dir, 'abc'))).toEqual({ sha256: ABC, size: 3 });
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
    writeFileSync(join(dir, 'big'), big);
    expect(await sha256File(join(dir, 'big'))).toEqual({ sha256: sha256Hex(big), size: big.length });
  });

  test('a missing file rejects', async () => {
    await expect(sha256File(join(scratchDir('bake-sha-'), 'none'))).rejects.toThrow(/ENOENT/);
  });

  test('SHA256_HEX accepts 64 lower-case hex digits only', () => {
    expect(SHA256_HEX.test(ABC)).toBe(true);
    expect(SHA256_HEX.test(ABC.toUpperCase())).toBe(false);
    expect(SHA256_HEX.test(`sha256:${ABC}`)).toBe(false);
    expect(SHA256_HEX.test(ABC.slice(1))).toBe(false);
  });
});
