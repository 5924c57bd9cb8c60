import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BakeError } from '../../../../bake/common/errors';
import { FALLBACK_MTIME, repackDebianGo } from '../../../../bake/golang/debian/repack-debian-go';
import { tarEntries } from '../../tar-entries';

let work: string;
beforeEach(async () => {
  work = await fs.mkdtemp(join(tmpdir(), 'bake-repack-'));
});
afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

/** A miniature of `dpkg -x golang-1.22-go golang-1.22-src`: usr/lib/go-1.22 with symlinks into usr/share. */
async function extractedTree(
  name: string,
  fileTime: Date,
  version = 'go1.22.12\ntime 2025-01-31T18:38:03Z\n',
): Promise<string> {
  const root = join(work, name);
  const lib = join(root, 'usr/lib/go-1.22');
  const share = join(root, 'usr/share/go-1.22');
  await fs.mkdir(join(lib, 'bin'), { recursive: true });
  await fs.mkdir(join(lib, 'pkg/tool/linux_amd64'), { recursive: true });
  await fs.mkdir(join(share, 'src/runtime'), { recursive: true });
  await fs.mkdir(join(share, 'pkg/include'), { recursive: true });
  await fs.writeFile(join(lib, 'VERSION'), version);
  await fs.writeFile(join(lib, 'bin/go'), '#!/bin/true\n', { mode: 0o775 });
  await fs.writeFile(join(lib, 'pkg/tool/linux_amd64/compile'), Buffer.alloc(2 * 1024 * 1024, 7), { mode: 0o4755 });
  await fs.writeFile(join(share, 'src/runtime/a.go'), 'package runtime\n', { mode: 0o666 });
  await fs.writeFile(join(share, 'src/runtime/b.go'), 'package runtime // b\n');
  await fs.writeFile(join(share, 'pkg/include/textflag.h'), '#define NOSPLIT 4\n');
  await fs.chmod(join(share, 'src/runtime/a.go'), 0o666);
  await fs.chmod(join(lib, 'pkg/tool/linux_amd64/compile'), 0o4755);
  await fs.symlink('../../share/go-1.22/src', join(lib, 'src'));
  await fs.symlink('../../../share/go-1.22/pkg/include', join(lib, 'pkg/include'));
  for (const p of ['usr/lib/go-1.22/VERSION', 'usr/lib/go-1.22/bin/go', 'usr/share/go-1.22/src/runtime/a.go'])
    await fs.utimes(join(root, p), fileTime, fileTime);
  return root;
}

const readArchive = async (path: string) => tarEntries(gunzipSync(await fs.readFile(path)));

const repack = (root: string, output: string) =>
  repackDebianGo({ goRoot: join(root, 'usr/lib/go-1.22'), within: root, output: join(work, output) });

test(
  'the archive has the official layout: ' + 'go/ prefix, links resolved, root-owned, safe modes, VERSION time',
  async () => {
    const root = await extractedTree('x', new Date('2024-05-05T05:05:05Z'));
    const result = await repack(root, 'go.tar.gz');
    const entries = await readArchive(join(work, 'go.tar.gz'));
    expect(entries.map((e) => `${e.type} ${e.name} ${e.mode.toString(8)}`)).toEqual([
      'directory go/ 755',
      'file go/VERSION 644',
      'directory go/bin/ 755',
      'file go/bin/go 755',
      'directory go/pkg/ 755',
      'directory go/pkg/include/ 755',
      'file go/pkg/include/textflag.h 644',
      'directory go/pkg/tool/ 755',
      'directory go/pkg/tool/linux_amd64/ 755',
      'file go/pkg/tool/linux_amd64/compile 755',
      'directory go/src/ 755',
      'directory go/src/runtime/ 755',
      'file go/src/runtime/a.go 644',
      'file go/src/runtime/b.go 644',
    ]);
    for (const e of entries) {
      expect([e.uid, e.gid, e.uname, e.gname]).toEqual([0, 0, 'root', 'root']);
      expect(e.mtime).toBe(Date.parse('2025-01-31T18:38:03Z'));
    }
    expect(entries.find((e) => e.name === 'go/src/runtime/a.go')?.body).toBe('package runtime\n');
    expect(entries.find((e) => e.name === 'go/pkg/tool/linux_amd64/compile')?.body).toBe(`<${2 * 1024 * 1024} bytes>`);
    expect(result.entries).toBe(14);
    expect(result.size).toBe((await fs.stat(join(work, 'go.tar.gz'))).size);
  },
);

test('the same packages give byte-identical archives, wherever and whenever they were extracted', async () => {
  const a = await repack(await extractedTree('a', new Date('2020-01-01T00:00:00Z')), 'a.tar.gz');
  const b = await repack(await extractedTree('other-place', new Date()), 'b.tar.gz');
  expect(b.sha256).toBe(a.sha256);
  expect(await fs.readFile(join(work, 'b.tar.gz'))).toEqual(await fs.readFile(join(work, 'a.tar.gz')));
});

test('the gzip header carries no file name and no time', async () => {
  await repack(await extractedTree('x', new Date()), 'go.tar.gz');
  const header = (await fs.readFile(join(work, 'go.tar.gz'))).subarray(0, 10);
  expect([header[0], header[1]]).toEqual([0x1f, 0x8b]);
  expect(header[3] & 0x08).toBe(0); // FNAME flag
  expect(header.readUInt32LE(4)).toBe(0); // MTIME
});

test('without a time line in VERSION every entry gets the fixed fallback time', async () => {
  const root = await extractedTree('x', new Date(), 'go1.20.14\n');
  await repack(root, 'go.tar.gz');
  const entries = await readArchive(join(work, 'go.tar.gz'));
  expect(new Set(entries.map((e) => e.mtime))).toEqual(new Set([FALLBACK_MTIME.getTime()]));
});

test.each([
  ['an absolute symlink to the host', '/etc/passwd'],
  ['a relative symlink climbing out of the packages', '../../../../../../../../etc/hostname'],
  ['a dangling symlink', 'no-such-file'],
])('%s is refused, naming the entry', async (_what, target) => {
  const root = await extractedTree('x', new Date());
  await fs.symlink(target, join(root, 'usr/lib/go-1.22/bin/evil'));
  const error = await repack(root, 'go.tar.gz').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(BakeError);
  expect((error as Error).message).toContain('go/bin/evil: symlink to');
});
