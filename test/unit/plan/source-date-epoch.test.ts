import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { ExitCode } from '../../../bake/common/errors';
import { newestEntryTime, sourceDateEpoch } from '../../../bake/plan/source-date-epoch';
import { scratchDir } from '../scratch-dir';

/** A .tar.gz whose entries carry these times. */
async function archive(dir: string, times: Date[]): Promise<string> {
  const path = join(dir, 'go.tar.gz');
  const tar = pack();
  times.forEach((mtime, i) => tar.entry({ name: `go/file${i}`, mtime }, `content ${i}`));
  tar.finalize();
  await pipeline(tar, createGzip(), createWriteStream(path));
  return path;
}

const SHA = 'a'.repeat(64);

describe('newestEntryTime', () => {
  test('the newest entry time of the archive, in seconds', async () => {
    const path = await archive(scratchDir('bake-sde-'), [
      new Date('2026-02-04T17:30:00Z'),
      new Date('2026-02-04T18:00:59Z'),
      new Date('2025-01-01T00:00:00Z'),
    ]);
    expect(await newestEntryTime(path)).toBe(Date.parse('2026-02-04T18:00:59Z') / 1000);
  });

  test('an archive without times, or not an archive, is refused as untrusted', async () => {
    const dir = scratchDir('bake-sde-');
    await expect(newestEntryTime(await archive(dir, [new Date(0)]))).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: expect.stringContaining('carries no timestamps'),
    });
    await fs.writeFile(join(dir, 'junk.tar.gz'), 'not gzip');
    await expect(newestEntryTime(join(dir, 'junk.tar.gz'))).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: expect.stringContaining(`cannot read the Go archive ${join(dir, 'junk.tar.gz')}`),
    });
  });
});

describe('sourceDateEpoch', () => {
  test('read once from the archive, then from the record kept by its sha256', async () => {
    const dir = scratchDir('bake-sde-');
    const path = await archive(dir, [new Date('2026-02-04T18:00:00Z')]);
    const cache = join(dir, 'cache');
    const epoch = await sourceDateEpoch({ path, sha256: SHA }, cache);
    expect(epoch).toBe(Date.parse('2026-02-04T18:00:00Z') / 1000);
    expect(await fs.readFile(join(cache, 'source-date-epoch', SHA), 'utf8')).toBe(`${epoch}\n`);
    // The record answers without the archive.
    await fs.rm(path);
    expect(await sourceDateEpoch({ path, sha256: SHA }, cache)).toBe(epoch);
  });

  test('a record that is not a positive number is read again from the archive', async () => {
    const dir = scratchDir('bake-sde-');
    const path = await archive(dir, [new Date('2026-02-04T18:00:00Z')]);
    await fs.mkdir(join(dir, 'cache', 'source-date-epoch'), { recursive: true });
    await fs.writeFile(join(dir, 'cache', 'source-date-epoch', SHA), 'garbage');
    expect(await sourceDateEpoch({ path, sha256: SHA }, join(dir, 'cache'))).toBe(
      Date.parse('2026-02-04T18:00:00Z') / 1000,
    );
  });

  test('a name that is not a sha256 is never a path', async () => {
    await expect(sourceDateEpoch({ path: '/x', sha256: '../../x' }, '/c')).rejects.toThrow('not a sha256: ../../x');
  });
});
