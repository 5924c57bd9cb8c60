import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { tempPathFor, writeFileAtomic } from '../../../bake/common/atomic-write';
import { scratchDir } from '../scratch-dir';

describe('writeFileAtomic', () => {
  test('writes the file (creating its directory) with the mode asked for, and leaves no temp file', async () => {
    const dir = scratchDir('bake-atomic-');
    const dest = join(dir, 'a', 'b', 'file.json');
    await writeFileAtomic(dest, '{"x":1}\n', 0o600);
    expect(await fs.readFile(dest, 'utf8')).toBe('{"x":1}\n');
    expect((await fs.stat(dest)).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(join(dir, 'a', 'b'))).toEqual(['file.json']);
  });

  test('replaces an existing file whole', async () => {
    const dest = join(scratchDir('bake-atomic-'), 'file');
    await writeFileAtomic(dest, 'old content, longer than the new');
    await writeFileAtomic(dest, Buffer.from('new'));
    expect(await fs.readFile(dest, 'utf8')).toBe('new');
  });

  test('a failed write leaves the old file as it was and no temp file behind', async () => {
    const dir = scratchDir('bake-atomic-');
    const dest = join(dir, 'file');
    await writeFileAtomic(dest, 'old');
    // A directory where the file should be: the rename fails after the temp file was written.
    const blocked = join(dir, 'blocked');
    await fs.mkdir(join(blocked, 'inside'), { recursive: true });
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(await fs.readFile(dest, 'utf8')).toBe('old');
    expect((await fs.readdir(dir)).sort()).toEqual(['blocked', 'file']);
  });
});

describe('tempPathFor', () => {
  test('a hidden name beside the destination, new on every call', () => {
    const a = tempPathFor('/state/catalog/targets/debian12.json');
    expect(a).toMatch(/^\/state\/catalog\/targets\/\.debian12\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(tempPathFor('/state/catalog/targets/debian12.json')).not.toBe(a);
  });
});
