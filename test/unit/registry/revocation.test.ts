import { BakeError, ExitCode } from '../../../bake/common/errors';
import { withImage } from '../../../bake/registry/catalog-entry';
import { pinReference } from '../../../bake/registry/catalog-records';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import {
  applyRevocation,
  assertNotRevoked,
  parseReason,
  revocationOf,
  selectRevocation,
} from '../../../bake/registry/revocation';
import type { Revocation } from '../../../bake/registry/types';
import { scratchDir } from '../scratch-dir';
import { catalogAmi, catalogImage, targetCatalog } from './catalog-fixtures';

const REVOKED: Revocation = {
  at: '2026-02-01T00:00:00.000Z',
  by: 'alice@ci',
  reason: 'GOPROXY pointed at a bad proxy',
};

const runtime = (n: number) =>
  catalogImage(n, {
    kind: 'runtime',
    imageId: `sha256:r${n}`,
    manifestDigest: `sha256:mr${n}`,
    repository: '127.0.0.1:5000/golden/debian12-runtime',
  });
// Two bakes of debian12-amd64 (1 older, 2 newer), each toolchain and runtime; an AMI of each; another target.
const docs = [
  targetCatalog(
    'debian12-amd64',
    [catalogImage(1), runtime(1), catalogImage(2), runtime(2)],
    [catalogAmi(1), catalogAmi(2, { copies: [{ region: 'eu-west-1', amiId: 'ami-c0b1e5' }] })],
  ),
  targetCatalog('debian12-arm64', [catalogImage(3, { target: 'debian12-arm64', arch: 'arm64' })]),
];
const ids = (s: ReturnType<typeof selectRevocation>) => [
  s.images.map((i) => `${i.target}/${i.kind}/${i.imageId}`),
  s.amis.map((a) => a.amiId),
];

test('a target names its newest images of each kind and the AMI of the same bake', () => {
  expect(ids(selectRevocation(docs, 'debian12-amd64', { revoked: false }))).toEqual([
    [`debian12-amd64/toolchain/${catalogImage(2).imageId}`, 'debian12-amd64/runtime/sha256:r2'],
    ['ami-2'],
  ]);
  expect(ids(selectRevocation(docs, 'debian12-amd64', { revoked: false, kind: 'runtime' }))).toEqual([
    ['debian12-amd64/runtime/sha256:r2'],
    [],
  ]);
});

test('revoking a target again takes the one before: the newest not yet revoked', () => {
  const once = docs.map((d) =>
    applyRevocation(d, selectRevocation(docs, 'debian12-amd64', { revoked: false }), REVOKED),
  );
  expect(ids(selectRevocation(once, 'debian12-amd64', { revoked: false }))[0]).toEqual([
    `debian12-amd64/toolchain/${catalogImage(1).imageId}`,
    'debian12-amd64/runtime/sha256:r1',
  ]);
  // Unrevoking a target reinstates its newest revoked ones.
  expect(ids(selectRevocation(once, 'debian12-amd64', { revoked: true }))).toEqual([
    [`debian12-amd64/toolchain/${catalogImage(2).imageId}`, 'debian12-amd64/runtime/sha256:r2'],
    ['ami-2'],
  ]);
});

test('a digest, repository:tag, or an AMI id (or a copy of it) names exactly that', () => {
  expect(ids(selectRevocation(docs, catalogImage(1).manifestDigest!, { revoked: false }))).toEqual([
    [`debian12-amd64/toolchain/${catalogImage(1).imageId}`],
    [],
  ]);
  expect(ids(selectRevocation(docs, catalogImage(3).imageId, { revoked: false }))[0]).toEqual([
    `debian12-arm64/toolchain/${catalogImage(3).imageId}`,
  ]);
  const tagged = { ...catalogImage(2), tag: '1.22.12-20260102-000000000002-amd64' };
  const withTag = [targetCatalog('debian12-amd64', [catalogImage(1), tagged])];
  expect(ids(selectRevocation(withTag, `${tagged.repository}:${tagged.tag}`, { revoked: false }))[0]).toEqual([
    `debian12-amd64/toolchain/${tagged.imageId}`,
  ]);
  expect(ids(selectRevocation(docs, 'ami-c0b1e5', { revoked: false }))).toEqual([[], ['ami-2']]);
  expect(ids(selectRevocation(docs, 'nothing-like-it', { revoked: false }))).toEqual([[], []]);
});

test('applyRevocation marks only the selection, keeps a first revocation, and undoes it', () => {
  const selection = selectRevocation(docs, 'debian12-amd64', { revoked: false, kind: 'toolchain' });
  const revoked = applyRevocation(docs[0], selection, REVOKED);
  expect(revoked.images.map((i) => !!i.revoked)).toEqual([false, false, true, false]);
  const again = applyRevocation(revoked, selection, { ...REVOKED, reason: 'later' });
  expect(again.images[2].revoked?.reason).toBe(REVOKED.reason);
  const undone = applyRevocation(again, selection, undefined);
  expect(undone.images.every((i) => !('revoked' in i))).toBe(true);
  expect(applyRevocation(docs[1], selection, REVOKED)).toEqual(docs[1]);
});

test('a reason is one line of reasonable length', () => {
  expect(parseReason('  bad proxy  ')).toBe('bad proxy');
  for (const bad of ['', '   ', 'two\nlines', 'bell\u0007', 'x'.repeat(401)])
    expect(() => parseReason(bad)).toThrow(expect.objectContaining({ exitCode: ExitCode.Usage }));
});

test('a revoked image is refused with who, when and why (exit 4)', () => {
  const image = { ...catalogImage(2), revoked: REVOKED };
  expect(() => assertNotRevoked(image)).toThrow(BakeError);
  try {
    assertNotRevoked(image, 'my-image', 'STATE/catalog');
  } catch (err) {
    expect((err as BakeError).exitCode).toBe(ExitCode.Untrusted);
    expect((err as BakeError).message).toBe(
      `my-image (${image.manifestDigest}) is revoked by alice@ci at 2026-02-01T00:00:00.000Z: ` +
        'GOPROXY pointed at a bad proxy (catalog STATE/catalog)',
    );
  }
  expect(() => assertNotRevoked(catalogImage(1))).not.toThrow();
});

test('revocationOf finds an image by its id or by a registry digest it was pulled by', () => {
  const images = [catalogImage(1), { ...catalogImage(2), revoked: REVOKED }];
  expect(revocationOf(images, { id: catalogImage(2).imageId, repoDigests: [] })?.revoked).toBe(REVOKED);
  expect(
    revocationOf(images, {
      id: 'sha256:other',
      repoDigests: [`host/golden/debian12-go@${catalogImage(2).manifestDigest}`],
    }),
  ).toBeDefined();
  expect(revocationOf(images, { id: catalogImage(1).imageId, repoDigests: [] })).toBeUndefined();
});

test('publishing again never drops a revocation: the same image keeps it, a new build leaves it on record', () => {
  const revoked = targetCatalog('debian12-amd64', [
    {
      ...catalogImage(2),
      revoked: REVOKED,
      baseline: { schema: 'bake.baseline/v1', kind: 'toolchain', capturedAt: 'x', values: {} },
    },
  ]);
  const same = withImage(revoked, catalogImage(2, { vettedAt: '2026-03-01T00:00:00.000Z' }));
  expect(same.images).toHaveLength(1);
  expect(same.images[0]).toMatchObject({ revoked: REVOKED, baseline: { kind: 'toolchain' } });
  const rebuilt = withImage(revoked, catalogImage(2, { imageId: 'sha256:new', vettedAt: '2026-03-01T00:00:00.000Z' }));
  expect(rebuilt.images.map((i) => [i.imageId, !!i.revoked])).toEqual([
    [catalogImage(2).imageId, true],
    ['sha256:new', false],
  ]);
});

describe('pin', () => {
  async function store(newestRevoked: boolean, olderRevoked = false) {
    const catalog = new LocalCatalogStore(scratchDir('bake-revocation-pin-'));
    await catalog.write(
      targetCatalog('debian12-amd64', [
        { ...catalogImage(1), ...(olderRevoked ? { revoked: REVOKED } : {}) },
        { ...catalogImage(2), ...(newestRevoked ? { revoked: REVOKED } : {}) },
      ]),
    );
    return catalog;
  }

  test('a target pins its newest image that is not revoked', async () => {
    const pin = await pinReference(await store(true), { name: 'debian12-amd64', kind: 'toolchain' });
    expect(pin.from).toBe(`${catalogImage(1).repository}@${catalogImage(1).manifestDigest}`);
  });

  test('a revoked digest is refused with the reason; a vetted one is pinned', async () => {
    const catalog = await store(true);
    await expect(
      pinReference(catalog, { name: catalogImage(2).manifestDigest!, kind: 'toolchain' }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: expect.stringContaining('GOPROXY pointed at a bad proxy'),
    });
    expect((await pinReference(catalog, { name: catalogImage(1).manifestDigest!, kind: 'toolchain' })).from).toContain(
      catalogImage(1).manifestDigest,
    );
  });

  test('when every image is revoked there is nothing to pin, and it says why', async () => {
    await expect(
      pinReference(await store(true, true), { name: 'debian12-amd64', kind: 'toolchain' }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
      message: expect.stringMatching(/^the newest vetted toolchain image of debian12-amd64 .* is revoked by alice@ci/),
    });
  });
});
