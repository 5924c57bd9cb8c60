import { sha256Hex } from '../../../bake/common/sha256';
import {
  byBytes,
  listingMatches,
  parseListing,
  parseTreeRecord,
  readTree,
  treeListing,
  treeRecord,
} from '../../../bake/drift/tree-listing';
import { GOROOT_ENTRIES, streamOf, tarOf } from './drift-fixtures';

const h = (text: string) => sha256Hex(text);

test('a tree read from a tar lists exactly what find(1) and sha256sum print in it, sorted bytewise', async () => {
  const entries = await readTree(
    streamOf(
      await tarOf([
        ...GOROOT_ENTRIES,
        { name: 'go/bin/go-hardlink', type: 'link', linkname: 'go/bin/go', mode: 0o755 },
        { name: 'go/lib', type: 'symlink', linkname: 'src', mode: 0o777 },
        { name: 'go/bin/suid', mode: 0o4755, uid: 0, content: 's' },
        { name: 'elsewhere/ignored', content: 'not in the tree' },
      ]),
    ),
    { prefix: 'go' },
  );
  const listing = treeListing(entries);
  expect(listing.meta).toBe(
    [
      'd 755 0 0 ',
      'd 755 0 0 bin',
      'd 755 0 0 src',
      'd 755 0 0 src/fmt',
      'f 4755 0 0 bin/suid',
      'f 644 0 0 go.env',
      'f 644 0 0 src/fmt/print.go',
      'f 755 0 0 bin/go',
      'f 755 0 0 bin/go-hardlink',
      'f 755 0 0 bin/gofmt',
      'l 777 0 0 lib -> src',
      '',
    ].join('\n'),
  );
  expect(listing.sums).toBe(
    [
      `${h('the go binary')}  bin/go`,
      `${h('the go binary')}  bin/go-hardlink`,
      `${h('gofmt')}  bin/gofmt`,
      `${h('s')}  bin/suid`,
      `${h('GOPROXY=https://proxy.golang.org,direct\n')}  go.env`,
      `${h('package fmt\n')}  src/fmt/print.go`,
      '',
    ].join('\n'),
  );
});

test('the record names both listings by hash and counts entries; a listing kept elsewhere is checked', async () => {
  const listing = treeListing(await readTree(streamOf(await tarOf(GOROOT_ENTRIES)), { prefix: 'go' }));
  const record = treeRecord(listing);
  expect(parseTreeRecord(record)).toEqual({
    entries: 8,
    meta: `sha256:${h(listing.meta)}`,
    sums: `sha256:${h(listing.sums)}`,
  });
  expect(listingMatches(listing, record)).toBe(true);
  expect(listingMatches({ ...listing, sums: listing.sums.replace('gofmt', 'gofmt2') }, record)).toBe(false);
  expect(parseTreeRecord('entries=1 meta=md5:x sums=sha256:y')).toBeUndefined();
});

test('an archive of / keeps paths from the root and drops what the exclusion names', async () => {
  const entries = await readTree(
    streamOf(
      await tarOf([
        { name: './', type: 'directory' },
        { name: 'etc/', type: 'directory' },
        { name: 'etc/passwd', content: 'root:x:0:0\n' },
        { name: 'proc/', type: 'directory' },
        { name: 'proc/1/status', content: 'x' },
      ]),
    ),
    { prefix: '', exclude: (p) => /^proc(\/|$)/.test(p) },
  );
  expect(entries.map((e) => e.path)).toEqual(['', 'etc', 'etc/passwd']);
});

test('parseListing gives back every entry with its content hash', async () => {
  const listing = treeListing(await readTree(streamOf(await tarOf(GOROOT_ENTRIES)), { prefix: 'go' }));
  const parsed = parseListing(listing);
  expect(parsed.get('bin/go')).toEqual({
    path: 'bin/go',
    type: 'f',
    mode: 0o755,
    uid: 0,
    gid: 0,
    sha256: h('the go binary'),
  });
  expect(parsed.get('')).toMatchObject({ type: 'd', mode: 0o755 });
  expect(parsed.size).toBe(8);
});

test('byte order, as LC_ALL=C sort: upper case before lower, multi-byte after ASCII', () => {
  expect(['b', 'B', 'ä', 'a'].sort(byBytes)).toEqual(['B', 'a', 'b', 'ä']);
});
