import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ExitCode } from '../../../bake/common/errors';
import * as sha256Module from '../../../bake/common/sha256';
import { sha256Hex } from '../../../bake/common/sha256';
import { DownloadCache } from '../../../bake/golang/download-cache';
import { scratchDir } from '../scratch-dir';

const DATA = Buffer.from('go archive bytes');
const SHA = sha256Hex(DATA);

describe('DownloadCache', () => {
  test('stores bytes under their sha256 and gives the path back while they are intact', async () => {
    const cache = new DownloadCache(scratchDir('bake-dlcache-'));
    expect(await cache.get(SHA)).toBeUndefined();
    const path = await cache.put(Readable.from([DATA.subarray(0, 5), DATA.subarray(5)]), {
      sha256: SHA,
      size: DATA.length,
      name: 'go.tgz',
    });
    expect(path).toBe(join(cache.dir, 'sha256', SHA));
    expect(await fs.readFile(path)).toEqual(DATA);
    expect(await cache.get(SHA)).toBe(path);
  });

  test('bytes that do not hash to the expected sha256 are refused, and nothing is stored', async () => {
    const cache = new DownloadCache(scratchDir('bake-dlcache-'));
    const other = 'f'.repeat(64);
    await expect(cache.put(Readable.from([DATA]), { sha256: other, name: 'go.tgz' })).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: `go.tgz: sha256 ${SHA} does not match the signed manifest's ${other}`,
    });
    expect(await fs.readdir(join(cache.dir, 'sha256'))).toEqual([]);
  });

  test('a size other than the manifest says is refused as truncated or altered', async () => {
    const cache = new DownloadCache(scratchDir('bake-dlcache-'));
    await expect(
      cache.put(Readable.from([DATA.subarray(0, 4)]), { sha256: SHA, size: DATA.length, name: 'go.tgz' }),
    ).rejects.toThrow(`go.tgz: size 4 bytes, expected ${DATA.length} (truncated or altered download)`);
    expect(await fs.readdir(join(cache.dir, 'sha256'))).toEqual([]);
  });

  test('an entry altered in the cache is found out on use and removed', async () => {
    const cache = new DownloadCache(scratchDir('bake-dlcache-'));
    const path = await cache.put(Readable.from([DATA]), { sha256: SHA, name: 'go.tgz' });
    await fs.writeFile(path, 'tampered');
    expect(await cache.get(SHA)).toBeUndefined();
    await expect(fs.stat(path)).rejects.toThrow(/ENOENT/);
  });

  test('an instance hashes an intact entry once; a file changed since is hashed again', async () => {
    const cache = new DownloadCache(scratchDir('bake-dlcache-'));
    const path = await cache.put(Readable.from([DATA]), { sha256: SHA, name: 'go.tgz' });
    const hashing = jest.spyOn(sha256Module, 'sha256File');
    try {
      expect(await cache.get(SHA)).toBe(path);
      expect(await cache.get(SHA)).toBe(path);
      expect(hashing).toHaveBeenCalledTimes(1);
      // Same size, same content length, even the same mtime: ctime still tells.
      const { mtime } = await fs.stat(path);
      await fs.writeFile(path, Buffer.from(DATA).fill(0x41));
      await fs.utimes(path, mtime, mtime);
      expect(await cache.get(SHA)).toBeUndefined();
      expect(hashing).toHaveBeenCalledTimes(2);
      // Another instance (another run) hashes for itself.
      const again = await cache.put(Readable.from([DATA]), { sha256: SHA, name: 'go.tgz' });
      expect(await new DownloadCache(cache.dir).get(SHA)).toBe(again);
      expect(hashing).toHaveBeenCalledTimes(3);
    } finally {
      hashing.mockRestore();
    }
  });

  test('a local file is stored the same way', async () => {
    const dir = scratchDir('bake-dlcache-');
    await fs.writeFile(join(dir, 'go.tgz'), DATA);
    const cache = new DownloadCache(join(dir, 'cache'));
    expect(await fs.readFile(await cache.putFile(join(dir, 'go.tgz'), { sha256: SHA, name: 'go.tgz' }))).toEqual(DATA);
  });

  test('a name that is not a sha256 is a programming error, never a path', () => {
    const cache = new DownloadCache('/cache');
    expect(() => cache.pathFor('../../etc/passwd')).toThrow('not a sha256: ../../etc/passwd');
    expect(() => cache.pathFor(SHA.toUpperCase())).toThrow(/not a sha256/);
  });
});
