import { createLogger } from '../../../bake/common/log';
import { runRevoke } from '../../../bake/pipeline/revoke-run';
import type { Session } from '../../../bake/pipeline/session';
import { openRegistry } from '../../../bake/registry/open-registry';
import type { PublishTarget } from '../../../bake/registry/publish-run';
import { catalogImage, targetCatalog } from '../registry/catalog-fixtures';
import { seedManifest, startFakeRegistry, type FakeRegistry } from '../registry/fake-registry';
import { scratchDir } from '../scratch-dir';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const REPO = 'golden/debian12-go';
let registry: FakeRegistry;
let remote: PublishTarget;
let session: Session;

/** Two vetted images of Go 1.22.12 in the registry (their manifests seeded), :1.22 on the newer. */
async function seed(): Promise<{ older: string; newer: string }> {
  const manifest = (n: number) => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, n }));
  const older = seedManifest(registry, REPO, DOCKER_MANIFEST, manifest(1));
  const newer = seedManifest(registry, REPO, DOCKER_MANIFEST, manifest(2));
  const repository = `${registry.host}/${REPO}`;
  await remote.catalog.write(
    targetCatalog('debian12-amd64', [
      catalogImage(1, { repository, manifestDigest: older }),
      catalogImage(2, { repository, manifestDigest: newer }),
    ]),
  );
  return { older, newer };
}

const indexDigests = (tag: string): string[] => {
  const digest = registry.tags.get(REPO)?.get(tag);
  if (!digest) return [];
  const body = registry.manifests.get(REPO)!.get(digest)!.body.toString('utf8');
  return (JSON.parse(body) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
};

beforeEach(async () => {
  registry = await startFakeRegistry();
  remote = await openRegistry(`${registry.host}/golden`, {});
  session = {
    stateDir: scratchDir('bake-revoke-run-'),
    logger: createLogger({ quiet: true }),
    env: {},
  } as unknown as Session;
});

afterEach(async () => registry.close());

test('revoking a target: the catalog records it, :1.22 goes back to the image before, pin-able again', async () => {
  const { older, newer } = await seed();
  const run = await runRevoke({ session, ref: 'debian12-amd64', revoke: { reason: 'bad', by: 'alice' }, remote });
  expect(run.images.map((i) => i.manifestDigest)).toEqual([newer]);
  expect(run.moved).toEqual([`${registry.host}/${REPO}:1.22`, `${registry.host}/${REPO}:1.22.12`]);
  expect(indexDigests('1.22')).toEqual([older]);
  const doc = (await remote.catalog.read('debian12-amd64'))!;
  expect(doc.images.map((i) => i.revoked?.reason)).toEqual([undefined, 'bad']);
});

test('with every image revoked the moving tags are removed; unrevoke brings them back', async () => {
  const { newer } = await seed();
  await runRevoke({ session, ref: 'debian12-amd64', revoke: { reason: 'bad', by: 'a' }, remote });
  await runRevoke({ session, ref: 'debian12-amd64', revoke: { reason: 'bad too', by: 'a' }, remote });
  expect(registry.tags.get(REPO)?.has('1.22')).toBe(false);
  await runRevoke({ session, ref: newer, remote });
  expect(indexDigests('1.22')).toEqual([newer]);
});

test('nothing to revoke is one line and exit 2, and writes nothing', async () => {
  await seed();
  const before = JSON.stringify(await remote.catalog.read('debian12-amd64'));
  await expect(
    runRevoke({ session, ref: 'rocky9-amd64', revoke: { reason: 'x', by: 'a' }, remote }),
  ).rejects.toMatchObject({
    exitCode: 2,
    message: `nothing vetted and not revoked matches "rocky9-amd64" in ${remote.catalog.location}`,
  });
  expect(JSON.stringify(await remote.catalog.read('debian12-amd64'))).toBe(before);
});

test('a registry that fails half-way: the revocation is recorded, the error says what to run again', async () => {
  const { older, newer } = await seed();
  registry.failures.set(`/v2/${REPO}/manifests/1.22`, [403, 403, 403, 403, 403, 403]);
  const failed = runRevoke({ session, ref: 'debian12-amd64', revoke: { reason: 'bad', by: 'a' }, remote });
  await expect(failed).rejects.toMatchObject({
    message: expect.stringContaining(`; the catalog ${remote.catalog.location} already records the revoke of ${newer}`),
    hint: expect.stringContaining('run bake registry revoke with each of them again'),
  });
  expect((await remote.catalog.read('debian12-amd64'))!.images[1].revoked?.reason).toBe('bad');
  registry.failures.clear();
  // Run again by the digest (the target now names the image before): the tags catch up, the record stays.
  await runRevoke({ session, ref: newer, revoke: { reason: 'later', by: 'b' }, remote });
  expect(indexDigests('1.22')).toEqual([older]);
  expect((await remote.catalog.read('debian12-amd64'))!.images[1].revoked).toMatchObject({ reason: 'bad', by: 'a' });
});
