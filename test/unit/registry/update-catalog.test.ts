import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { withImage } from '../../../bake/registry/catalog-entry';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import type { CatalogStore, TargetCatalog } from '../../../bake/registry/types';
import { catalogLockFile, emptyCatalog, updateCatalog } from '../../../bake/registry/update-catalog';
import { recordingLogger, tempDir } from '../golang/go-fixtures';
import { catalogImage } from './catalog-fixtures';

const now = new Date('2026-01-15T12:00:00Z');

let store: LocalCatalogStore;
let lockDir: string;
beforeEach(async () => {
  store = new LocalCatalogStore(await tempDir('catalog'));
  lockDir = await tempDir('locks');
});

test('the first update of a target starts from an empty document and stamps the time', async () => {
  const written = await updateCatalog(store, 'debian12-amd64', (c) => withImage(c, catalogImage(1)), {
    lockDir,
    logger: recordingLogger(),
    now,
  });
  expect(written).toEqual({
    schema: 'bake.catalog/v1',
    target: 'debian12-amd64',
    images: [catalogImage(1)],
    amis: [],
    updatedAt: now.toISOString(),
  });
  expect(await store.read('debian12-amd64')).toEqual(written);
});

test('an update sees what the previous one wrote', async () => {
  await updateCatalog(store, 'debian12-amd64', (c) => withImage(c, catalogImage(1)), {
    lockDir,
    logger: recordingLogger(),
    now,
  });
  const seen: TargetCatalog[] = [];
  await updateCatalog(store, 'debian12-amd64', (c) => (seen.push(c), withImage(c, catalogImage(2))), {
    lockDir,
    logger: recordingLogger(),
    now,
  });
  expect(seen[0].images).toEqual([catalogImage(1)]);
  expect((await store.read('debian12-amd64'))!.images).toEqual([catalogImage(1), catalogImage(2)]);
});

/** The store with reads that take a few turns of the event loop, as a registry round trip does. */
function slowReads(inner: CatalogStore): CatalogStore {
  const turns = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    location: inner.location,
    targets: () => inner.targets(),
    read: async (target) => (await turns(), inner.read(target)),
    write: (catalog) => inner.write(catalog),
    putReport: (report) => inner.putReport(report),
    getReport: (digest) => inner.getReport(digest),
  };
}

test('two concurrent updates of one target lose nothing, and the lock is gone afterwards', async () => {
  const options = { lockDir, logger: recordingLogger(), now };
  const slow = slowReads(store);
  await Promise.all([
    updateCatalog(slow, 'debian12-amd64', (c) => withImage(c, catalogImage(1)), options),
    updateCatalog(slow, 'debian12-amd64', (c) => withImage(c, catalogImage(2)), options),
  ]);
  expect((await store.read('debian12-amd64'))!.images.map((i) => i.inputsDigest).sort()).toEqual([
    catalogImage(1).inputsDigest,
    catalogImage(2).inputsDigest,
  ]);
  expect(await fs.readdir(lockDir)).toEqual([]);
});

test('emptyCatalog; one lock file per catalog location', () => {
  expect(emptyCatalog('debian12-amd64', now)).toEqual({
    schema: 'bake.catalog/v1',
    target: 'debian12-amd64',
    images: [],
    amis: [],
    updatedAt: now.toISOString(),
  });
  const lock = catalogLockFile('/locks', store);
  expect(lock).toMatch(/^\/locks\/catalog-[0-9a-f]{16}\.lock$/);
  expect(catalogLockFile('/locks', new LocalCatalogStore(join(store.location, 'other')))).not.toBe(lock);
});
