import { compareCaptures, TREE_FINDINGS_MAX } from '../../../bake/drift/compare';
import { readTree, treeListing, treeRecord } from '../../../bake/drift/tree-listing';
import type { TreeListing } from '../../../bake/drift/types';
import { GOROOT_ENTRIES, streamOf, tarOf, type TarEntry } from './drift-fixtures';

const GOROOT = '/usr/local/go';
const evidence = (key: string) => `read ${key}`;
const FILE = 'sha256=aaaa mode=644 uid=0 gid=0';

async function tree(entries: TarEntry[]): Promise<TreeListing> {
  return treeListing(await readTree(streamOf(await tarOf(entries)), { prefix: 'go' }));
}

async function side(entries: TarEntry[], values: Record<string, string> = {}) {
  const listing = await tree(entries);
  return { values: { ...values, [`tree:${GOROOT}`]: treeRecord(listing) }, trees: { [GOROOT]: listing } };
}

const replace = (name: string, change: Partial<TarEntry>) =>
  GOROOT_ENTRIES.map((e) => (e.name === name ? { ...e, ...change } : e));

test('the same records give no finding', async () => {
  const base = await side(GOROOT_ENTRIES, { user: 'gobuild', 'go.env:GOSUMDB': 'sum.golang.org' });
  expect(compareCaptures(base, await side(GOROOT_ENTRIES, base.values), evidence)).toEqual([]);
});

test('a changed Go setting, environment variable or user is a policy change with both values', () => {
  const before = { values: { 'go.env:GOSUMDB': 'sum.golang.org', 'env:GOSUMDB': 'sum.golang.org', user: 'gobuild' } };
  const after = { values: { 'go.env:GOSUMDB': 'off', 'env:GOSUMDB': 'off', user: 'root', 'env:GOINSECURE': '*' } };
  expect(compareCaptures(before, after, evidence)).toEqual([
    {
      key: 'env:GOINSECURE',
      severity: 'policy-changed',
      subject: 'GOINSECURE in the process environment',
      expected: '(unset)',
      actual: '*',
      evidence: 'read env:GOINSECURE',
    },
    {
      key: 'env:GOSUMDB',
      severity: 'policy-changed',
      subject: 'GOSUMDB in the process environment',
      expected: 'sum.golang.org',
      actual: 'off',
      evidence: 'read env:GOSUMDB',
    },
    {
      key: 'go.env:GOSUMDB',
      severity: 'policy-changed',
      subject: 'GOSUMDB in go env of the build user',
      expected: 'sum.golang.org',
      actual: 'off',
      evidence: 'read go.env:GOSUMDB',
    },
    {
      key: 'user',
      severity: 'policy-changed',
      subject: 'the default user',
      expected: 'gobuild',
      actual: 'root',
      evidence: 'read user',
    },
  ]);
});

test('a policy file: new content is integrity, a looser mode or owner is a loosened permission', () => {
  const key = 'file:/etc/profile.d/go-env.sh';
  const check = (actual: string | undefined) =>
    compareCaptures(
      { values: { [key]: FILE } },
      { values: actual === undefined ? {} : { [key]: actual } },
      evidence,
    )[0];
  expect(check('sha256=bbbb mode=644 uid=0 gid=0')).toMatchObject({
    severity: 'integrity-changed',
    subject: '/etc/profile.d/go-env.sh',
  });
  expect(check('sha256=aaaa mode=666 uid=0 gid=0')).toMatchObject({
    severity: 'permission-loosened',
    actual: 'sha256=aaaa mode=666 uid=0 gid=0',
  });
  expect(check('sha256=aaaa mode=644 uid=10001 gid=0')).toMatchObject({ severity: 'permission-loosened' });
  expect(check('sha256=aaaa mode=4644 uid=0 gid=0')).toMatchObject({ severity: 'permission-loosened' });
  expect(check('sha256=aaaa mode=600 uid=0 gid=0')).toMatchObject({ severity: 'integrity-changed' });
  expect(check('symlink=/tmp/evil mode=777 uid=0 gid=0')).toMatchObject({ severity: 'integrity-changed' });
  expect(check(undefined)).toMatchObject({ severity: 'integrity-changed', actual: 'absent' });
});

test('GOROOT path by path: a replaced binary, a world-writable file, an extra file, a missing file', async () => {
  const base = await side(GOROOT_ENTRIES);
  const live = await side(
    [
      ...replace('go/bin/go', { content: '#!/bin/sh\nexec /opt/go.real "$@"\n' }).filter(
        (e) => e.name !== 'go/bin/gofmt',
      ),
      { name: 'go/bin/backdoor', mode: 0o755, content: 'x' },
    ].map((e) => (e.name === 'go/src/fmt/print.go' ? { ...e, mode: 0o646 } : e)),
  );
  const found = compareCaptures(base, live, evidence);
  expect(found.map((f) => [f.severity, f.subject])).toEqual([
    ['extra-file', '/usr/local/go/bin/backdoor'],
    ['integrity-changed', '/usr/local/go/bin/go'],
    ['integrity-changed', '/usr/local/go/bin/gofmt'],
    ['permission-loosened', '/usr/local/go/src/fmt/print.go'],
  ]);
  expect(found[1].expected).toMatch(/^file mode 755 uid 0 gid 0 sha256 [0-9a-f]{64}$/);
  expect(found[1].actual).not.toBe(found[1].expected);
  expect(found[2].actual).toBe('absent');
  expect(found[3]).toMatchObject({
    expected: expect.stringContaining('mode 644'),
    actual: expect.stringContaining('mode 646'),
    evidence: `read tree:${GOROOT}`,
  });
});

test('a GOROOT directory opened to everyone is a loosened permission of the tree itself', async () => {
  const found = compareCaptures(await side(GOROOT_ENTRIES), await side(replace('go/', { mode: 0o777 })), evidence);
  expect(found).toEqual([expect.objectContaining({ severity: 'permission-loosened', subject: GOROOT })]);
});

test('a file with a record of its own (go.env) is reported once, by that record', async () => {
  const env = 'file:/usr/local/go/go.env';
  const base = await side(GOROOT_ENTRIES, { [env]: FILE });
  const live = await side(replace('go/go.env', { content: 'GOPROXY=direct\n' }), {
    [env]: 'sha256=cccc mode=644 uid=0 gid=0',
  });
  expect(compareCaptures(base, live, evidence).map((f) => f.key)).toEqual([env]);
});

test('without the baseline listing: one finding for the tree, and what the live tree leaves writable', async () => {
  const base = await side(GOROOT_ENTRIES);
  const live = await side(replace('go/src/fmt/print.go', { mode: 0o666 }));
  const found = compareCaptures({ values: base.values }, live, evidence);
  expect(found.map((f) => [f.severity, f.subject])).toEqual([
    ['integrity-changed', GOROOT],
    ['permission-loosened', '/usr/local/go/src/fmt/print.go'],
  ]);
  // A listing that is not the one the record names is not trusted either.
  const forged = { ...base, trees: { [GOROOT]: live.trees[GOROOT] } };
  expect(compareCaptures(forged, live, evidence)[0]).toMatchObject({ subject: GOROOT, severity: 'integrity-changed' });
});

test('a flood of extra files stays a bounded report that says how many more', async () => {
  const many = Array.from({ length: TREE_FINDINGS_MAX + 25 }, (_, i) => ({ name: `go/junk/${i}`, content: String(i) }));
  const found = compareCaptures(
    await side(GOROOT_ENTRIES),
    await side([...GOROOT_ENTRIES, { name: 'go/junk/', type: 'directory' as const }, ...many]),
    evidence,
  );
  expect(found).toHaveLength(TREE_FINDINGS_MAX + 1);
  expect(found[TREE_FINDINGS_MAX].subject).toBe(`${GOROOT}: 26 more differences`);
});
