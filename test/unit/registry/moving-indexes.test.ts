import { movingTagsOf, updateMovingIndexes } from '../../../bake/registry/moving-indexes';
import type { Manifest, RegistryClient } from '../../../bake/registry/registry-client';
import type { CatalogImage } from '../../../bake/registry/types';
import { recordingLogger } from '../golang/go-fixtures';
import { catalogImage } from './catalog-fixtures';
import { digestOf } from './fake-registry';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const REPO = 'golden/debian12-go';

/** The registry as moving tags see it: manifests by digest or tag, and every PUT. */
class FakeClient implements Pick<
  RegistryClient,
  'host' | 'headManifest' | 'getManifest' | 'putManifest' | 'deleteManifest'
> {
  readonly host = '127.0.0.1:5000';
  readonly manifests = new Map<string, Manifest>();
  readonly puts: { reference: string; mediaType: string; body: Buffer }[] = [];

  add(digest: string, mediaType: string, size: number): void {
    this.manifests.set(digest, { digest, mediaType, body: Buffer.alloc(size) });
  }
  async headManifest(_repository: string, reference: string) {
    const m = this.manifests.get(reference);
    return m && { digest: m.digest, mediaType: m.mediaType, size: m.body.length };
  }
  async getManifest(_repository: string, reference: string) {
    return this.manifests.get(reference);
  }
  async putManifest(_repository: string, reference: string, mediaType: string, body: Buffer) {
    this.puts.push({ reference, mediaType, body });
    this.manifests.set(reference, { digest: digestOf(body), mediaType, body });
    return digestOf(body);
  }
  /** As the registry does: the manifest goes, and with it every tag that pointed at it. */
  async deleteManifest(_repository: string, digest: string) {
    this.deletes.push(digest);
    for (const [ref, m] of [...this.manifests]) if (m.digest === digest) this.manifests.delete(ref);
  }
  readonly deletes: string[] = [];
}

const asClient = (fake: FakeClient) => fake as unknown as RegistryClient;
const index = (fake: FakeClient, tag: string) => JSON.parse(fake.manifests.get(tag)!.body.toString('utf8'));

// amd64 1.22.10, then amd64 and arm64 1.22.12 (each with an older build), and one never pushed.
const images: CatalogImage[] = [
  catalogImage(1, { goVersion: '1.22.10' }),
  catalogImage(2),
  catalogImage(3),
  catalogImage(4, { arch: 'arm64', target: 'debian12-arm64' }),
  catalogImage(5, { arch: 'arm64', target: 'debian12-arm64' }),
  catalogImage(6, { manifestDigest: undefined }),
];
const digest = (n: number) => images[n - 1].manifestDigest!;

function registryWithAll(mediaType = DOCKER_MANIFEST): FakeClient {
  const fake = new FakeClient();
  images.forEach((image, i) => image.manifestDigest && fake.add(image.manifestDigest, mediaType, 500 + i));
  return fake;
}

test('movingTagsOf: the Go line and the release', () => {
  expect(movingTagsOf({ goVersion: '1.22.12' })).toEqual(['1.22', '1.22.12']);
});

test('points 1.22 and 1.22.12 at a Docker manifest list of the newest pushed image per arch', async () => {
  const fake = registryWithAll();
  const moved = await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
  expect(moved).toEqual(['1.22', '1.22.10', '1.22.12']);
  const expected = {
    schemaVersion: 2,
    mediaType: MANIFEST_LIST,
    manifests: [
      { mediaType: DOCKER_MANIFEST, digest: digest(3), size: 502, platform: { architecture: 'amd64', os: 'linux' } },
      { mediaType: DOCKER_MANIFEST, digest: digest(5), size: 504, platform: { architecture: 'arm64', os: 'linux' } },
    ],
  };
  expect(index(fake, '1.22')).toEqual(expected);
  expect(index(fake, '1.22.12')).toEqual(expected);
  expect(index(fake, '1.22.10').manifests).toEqual([
    { mediaType: DOCKER_MANIFEST, digest: digest(1), size: 500, platform: { architecture: 'amd64', os: 'linux' } },
  ]);
  expect(fake.puts.map((p) => p.mediaType)).toEqual([MANIFEST_LIST, MANIFEST_LIST, MANIFEST_LIST]);
});

test('the order of the catalog records does not matter: newest is by vetting time', async () => {
  const fake = registryWithAll();
  await updateMovingIndexes(asClient(fake), REPO, [...images].reverse(), recordingLogger());
  expect(index(fake, '1.22.12').manifests.map((m: { digest: string }) => m.digest)).toEqual([digest(3), digest(5)]);
});

test('a second run with nothing new moves nothing and PUTs nothing', async () => {
  const fake = registryWithAll();
  await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
  fake.puts.length = 0;
  expect(await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger())).toEqual([]);
  expect(fake.puts).toEqual([]);
});

test('a newer image moves only the tags it belongs to', async () => {
  const fake = registryWithAll();
  await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
  const newer = catalogImage(7, { arch: 'arm64', target: 'debian12-arm64' });
  fake.add(newer.manifestDigest!, DOCKER_MANIFEST, 700);
  expect(await updateMovingIndexes(asClient(fake), REPO, [...images, newer], recordingLogger())).toEqual([
    '1.22',
    '1.22.12',
  ]);
  expect(index(fake, '1.22').manifests[1]).toMatchObject({
    digest: newer.manifestDigest,
    platform: { architecture: 'arm64' },
  });
});

test('an image the registry does not have is left out, with a warning', async () => {
  const fake = registryWithAll();
  fake.manifests.delete(digest(5));
  const logger = recordingLogger();
  await updateMovingIndexes(asClient(fake), REPO, images, logger);
  expect(index(fake, '1.22').manifests.map((m: { digest: string }) => m.digest)).toEqual([digest(3)]);
  expect(logger.lines).toContain(
    `warn: 127.0.0.1:5000/${REPO}@${digest(5)} is in the catalog but not in the registry; left out of :1.22`,
  );
});

test('a tag none of whose images is in the registry is not written', async () => {
  const fake = registryWithAll();
  fake.manifests.delete(digest(1));
  expect(await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger())).toEqual(['1.22', '1.22.12']);
  expect(fake.manifests.has('1.22.10')).toBe(false);
});

test('OCI manifests get an OCI index', async () => {
  const fake = registryWithAll(OCI_MANIFEST);
  await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
  expect(index(fake, '1.22.12').mediaType).toBe(OCI_INDEX);
  expect(fake.puts[0].mediaType).toBe(OCI_INDEX);
});

test('an image pushed as an index (containerd store, with provenance) adds its manifest and attestation', async () => {
  const fake = registryWithAll();
  const amd64 = { mediaType: OCI_MANIFEST, digest: `sha256:${'a'.repeat(64)}`, size: 700 };
  const attestation = {
    mediaType: OCI_MANIFEST,
    digest: `sha256:${'b'.repeat(64)}`,
    size: 800,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.digest': amd64.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
  };
  const own = { ...amd64, platform: { architecture: 'amd64', os: 'linux' } };
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [own, attestation] }));
  fake.manifests.set(digest(3), { digest: digest(3), mediaType: OCI_INDEX, body });
  await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
  expect(index(fake, '1.22.12').manifests).toEqual([
    own,
    attestation,
    { mediaType: DOCKER_MANIFEST, digest: digest(5), size: 504, platform: { architecture: 'arm64', os: 'linux' } },
  ]);
});

describe('revoked images', () => {
  const revoked = { at: '2026-02-01T00:00:00.000Z', by: 'alice', reason: 'bad' };

  test('a tag whose newest image is revoked goes back to the newest one that is not', async () => {
    const fake = registryWithAll();
    await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
    const withRevoked = images.map((i, n) => (n === 2 ? { ...i, revoked } : i));
    expect(await updateMovingIndexes(asClient(fake), REPO, withRevoked, recordingLogger())).toEqual([
      '1.22',
      '1.22.12',
    ]);
    expect(index(fake, '1.22.12').manifests.map((m: { digest: string }) => m.digest)).toEqual([digest(2), digest(5)]);
  });

  test('a tag with no image left is removed, and only that tag', async () => {
    const fake = registryWithAll();
    await updateMovingIndexes(asClient(fake), REPO, images, recordingLogger());
    const logger = recordingLogger();
    const withRevoked = images.map((i, n) => (n === 0 ? { ...i, revoked } : i));
    expect(await updateMovingIndexes(asClient(fake), REPO, withRevoked, logger)).toEqual(['1.22.10']);
    expect(fake.manifests.has('1.22.10')).toBe(false);
    expect(fake.manifests.has('1.22')).toBe(true);
    expect(logger.lines).toContain(`info: 127.0.0.1:5000/${REPO}:1.22.10 removed: no vetted image of it is left`);
  });

  test('a tag to remove that shares its index with a tag that stays is kept, with a warning', async () => {
    const fake = registryWithAll();
    // Only 1.22.12 images: :1.22 and :1.22.12 get the very same index.
    const only = images.filter((i) => i.goVersion === '1.22.12');
    await updateMovingIndexes(asClient(fake), REPO, only, recordingLogger());
    expect(fake.manifests.get('1.22')!.digest).toBe(fake.manifests.get('1.22.12')!.digest);
    // A 1.22.10 image arrives revoked: :1.22.10 never existed, nothing to remove, :1.22 untouched.
    const logger = recordingLogger();
    const stale = { ...images[0], revoked };
    fake.manifests.set('1.22.10', fake.manifests.get('1.22')!);
    expect(await updateMovingIndexes(asClient(fake), REPO, [...only, stale], logger)).toEqual([]);
    expect(fake.deletes).toEqual([]);
    expect(
      logger.lines.some((l) => l.includes(':1.22.10 has no vetted image left but shares its index with :1.22')),
    ).toBe(true);
  });
});
