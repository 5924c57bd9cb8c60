import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  debianGoRecordPath,
  listDebianGoRecords,
  readDebianGoRecord,
  writeDebianGoRecord,
} from '../../../../bake/golang/debian/debian-go-record';
import type { DebianGoRecord } from '../../../../bake/golang/debian/types';
import { scratchDir } from '../../scratch-dir';

const record: DebianGoRecord = {
  filename: 'go1.27.4.linux-amd64.tar.gz',
  sha256: 'a'.repeat(64),
  size: 70_000_000,
  debs: [{ package: 'golang-1.27-go', version: '1.27.4-1~bpo13+1', sha256: 'b'.repeat(64) }],
};

describe('debianGoRecordPath', () => {
  test("one file per package, version and architecture, the epoch's colon escaped as apt does", () => {
    expect(debianGoRecordPath('/c', 'golang-1.27-go', '2:1.27.4-1', 'amd64')).toBe(
      '/c/debian-go/golang-1.27-go_2%3a1.27.4-1_amd64.json',
    );
  });
});

describe('Debian Go records', () => {
  test('read back as written', async () => {
    const path = debianGoRecordPath(scratchDir('bake-record-'), 'golang-1.27-go', '1.27.4-1~bpo13+1', 'amd64');
    await writeDebianGoRecord(path, record);
    expect(await readDebianGoRecord(path)).toEqual(record);
  });

  test.each([
    ['missing', undefined],
    ['not JSON', '{'],
    ['a bad sha256', JSON.stringify({ ...record, sha256: 'x' })],
    ['a size that is not a whole number', JSON.stringify({ ...record, size: '70' })],
    ['a deb without its sha256', JSON.stringify({ ...record, debs: [{ package: 'p', version: 'v' }] })],
    ['null', 'null'],
  ])('a record that is %s reads as none (the repack is made again)', async (_what, text) => {
    const path = join(scratchDir('bake-record-'), 'r.json');
    if (text !== undefined) await fs.writeFile(path, text);
    expect(await readDebianGoRecord(path)).toBeUndefined();
  });

  test('listing: every valid record of the cache, invalid ones and other files passed over', async () => {
    const cache = scratchDir('bake-record-');
    expect(await listDebianGoRecords(cache)).toEqual([]);
    await writeDebianGoRecord(debianGoRecordPath(cache, 'golang-1.27-go', '1', 'amd64'), record);
    const arm = { ...record, filename: 'go1.27.4.linux-arm64.tar.gz' };
    await writeDebianGoRecord(debianGoRecordPath(cache, 'golang-1.27-go', '1', 'arm64'), arm);
    await fs.writeFile(join(cache, 'debian-go', 'broken.json'), '{');
    await fs.writeFile(join(cache, 'debian-go', 'notes.txt'), 'x');
    expect(await listDebianGoRecords(cache)).toEqual([record, arm]);
  });
});
