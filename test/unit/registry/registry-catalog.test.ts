import { BakeError, ExitCode } from '../../../bake/common/errors';
import { HttpRegistryClient } from '../../../bake/registry/registry-client';
import {
  CATALOG_ARTIFACT_TYPE,
  REPORT_MEDIA_TYPE,
  RegistryCatalogStore,
} from '../../../bake/registry/registry-catalog';
import { catalogImage, targetCatalog } from './catalog-fixtures';
import { digestOf, seedBlob, seedManifest, startFakeRegistry, type FakeRegistry } from './fake-registry';

const REPO = 'golden/bake-catalog';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let registry: FakeRegistry;
let store: RegistryCatalogStore;
beforeEach(async () => {
  registry = await startFakeRegistry();
  store = new RegistryCatalogStore(new HttpRegistryClient(registry.host), REPO);
});
afterEach(() => registry.close());

function manifestOf(tag: string): {
  mediaType: string;
  artifactType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
} {
  const digest = registry.tags.get(REPO)!.get(tag)!;
  return JSON.parse(registry.manifests.get(REPO)!.get(digest)!.body.toString('utf8'));
}

test('location is host/repository', () => {
  expect(store.location).toBe(`${registry.host}/${REPO}`);
});

test('a written catalog reads back equal, and each target is a tag', async () => {
  const report = await store.putReport(Buffer.from('{"report":1}'));
  const catalog = targetCatalog('debian12-amd64', [catalogImage(1, { reportDigest: report })]);
  await store.write(catalog);
  await store.write(targetCatalog('alpine3-arm64', []));
  expect(await store.read('debian12-amd64')).toEqual(catalog);
  expect(await store.targets()).toEqual(['alpine3-arm64', 'debian12-amd64']);
});

test(
  'the document is an OCI artifact: artifactType bake catalog, ' +
    'the document first, then the reports it names as layers',
  async () => {
    const reportA = await store.putReport(Buffer.from('{"report":"a"}'));
    const reportB = await store.putReport(Buffer.from('{"report":"bb"}'));
    const catalog = targetCatalog('debian12-amd64', [
      catalogImage(1, { reportDigest: reportA }),
      catalogImage(2, { reportDigest: reportB, kind: 'runtime' }),
      catalogImage(3, { reportDigest: reportA }),
    ]);
    await store.write(catalog);
    const manifest = manifestOf('debian12-amd64');
    const document = Buffer.from(`${JSON.stringify(catalog, null, 2)}\n`);
    expect(manifest).toMatchObject({
      mediaType: OCI_MANIFEST,
      artifactType: CATALOG_ARTIFACT_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf('{}'), size: 2 },
    });
    expect(manifest.layers).toEqual([
      { mediaType: CATALOG_ARTIFACT_TYPE, digest: digestOf(document), size: document.length },
      { mediaType: REPORT_MEDIA_TYPE, digest: reportA, size: 14 },
      { mediaType: REPORT_MEDIA_TYPE, digest: reportB, size: 15 },
    ]);
    expect(registry.manifests.get(REPO)!.get(registry.tags.get(REPO)!.get('debian12-amd64')!)!.mediaType).toBe(
      OCI_MANIFEST,
    );
  },
);

test('a report the registry does not have is left out of the layers (the manifest stays valid)', async () => {
  await store.write(targetCatalog('debian12-amd64', [catalogImage(1, { reportDigest: digestOf('never uploaded') })]));
  expect(manifestOf('debian12-amd64').layers.map((l) => l.mediaType)).toEqual([CATALOG_ARTIFACT_TYPE]);
});

test('a rewrite moves the tag to the new document', async () => {
  await store.write(targetCatalog('debian12-amd64', [catalogImage(1, { reportDigest: digestOf('x') })]));
  await store.write(targetCatalog('debian12-amd64', [catalogImage(2, { reportDigest: digestOf('x') })]));
  expect((await store.read('debian12-amd64'))?.images.map((i) => i.inputsDigest)).toEqual([
    catalogImage(2).inputsDigest,
  ]);
});

test('an unknown target has no catalog', async () => {
  expect(await store.read('debian12-amd64')).toBeUndefined();
  expect(await store.targets()).toEqual([]);
});

test('reports read back by digest; a report whose bytes do not match is refused', async () => {
  const report = Buffer.from('{"passed":true}');
  const digest = await store.putReport(report);
  expect(await store.getReport(digest)).toEqual(report);
  registry.tamperedBlobs.set(digest, Buffer.from('{"passed":fals}'));
  await expect(store.getReport(digest)).rejects.toMatchObject({ exitCode: ExitCode.Untrusted });
});

test('a corrupt document fails with where it is and what is wrong', async () => {
  const config = seedBlob(registry, REPO, Buffer.from('{}'));
  const broken = Buffer.from('{"schema": "bake.catalog/v1", "images": [');
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: CATALOG_ARTIFACT_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config, size: 2 },
      layers: [{ mediaType: CATALOG_ARTIFACT_TYPE, digest: seedBlob(registry, REPO, broken), size: broken.length }],
    }),
  );
  seedManifest(registry, REPO, OCI_MANIFEST, body, 'debian12-amd64');
  const err = await store.read('debian12-amd64').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  expect((err as Error).message).toBe(`catalog ${registry.host}/${REPO}:debian12-amd64 is not valid JSON`);
});
