import { vettedInCatalog } from '../../../bake/nightly/catalog-check';
import type { Plan } from '../../../bake/plan/types';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import type { RegistryClient } from '../../../bake/registry/registry-client';
import { tempDir } from '../golang/go-fixtures';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';
import { catalogImage, targetCatalog } from '../registry/catalog-fixtures';

const INPUTS = `sha256:${'c'.repeat(64)}`;
const plan: Plan = { ...fixtureCore(handMadeTarget()), contexts: { toolchain: [], runtime: [] }, inputsDigest: INPUTS };
const HOST = '127.0.0.1:5000';
const NOW = new Date('2027-01-15T12:00:00Z');

const entry = (kind: 'toolchain' | 'runtime', extra = {}) =>
  catalogImage(kind === 'toolchain' ? 1 : 2, {
    target: plan.target.name,
    kind,
    inputsDigest: INPUTS,
    repository: `${HOST}/golden/testos1-${kind === 'toolchain' ? 'go' : 'runtime'}`,
    ...extra,
  });

/** A registry that has exactly the manifests given, and records what it was asked. */
function fakeClient(present: string[]): RegistryClient & { heads: [string, string][] } {
  const heads: [string, string][] = [];
  return {
    host: HOST,
    heads,
    headManifest: async (repository: string, reference: string) => {
      heads.push([repository, reference]);
      return present.includes(reference)
        ? { digest: reference, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 100 }
        : undefined;
    },
  } as unknown as RegistryClient & { heads: [string, string][] };
}

let store: LocalCatalogStore;
beforeEach(async () => {
  store = new LocalCatalogStore(await tempDir('catalog'));
});

test('every kind vetted with these inputs and still in the registry: nothing to do', async () => {
  await store.write(targetCatalog(plan.target.name, [entry('toolchain'), entry('runtime')]));
  const client = fakeClient([entry('toolchain').manifestDigest!, entry('runtime').manifestDigest!]);
  expect(await vettedInCatalog(store, NOW, client)(plan)).toBe(true);
  expect(client.heads).toEqual([
    ['golden/testos1-go', entry('toolchain').manifestDigest],
    ['golden/testos1-runtime', entry('runtime').manifestDigest],
  ]);
});

test('a manifest the registry no longer has: to be built again', async () => {
  await store.write(targetCatalog(plan.target.name, [entry('toolchain'), entry('runtime')]));
  expect(await vettedInCatalog(store, NOW, fakeClient([entry('toolchain').manifestDigest!]))(plan)).toBe(false);
});

test('one kind missing, or vetted with other inputs: to be built', async () => {
  await store.write(targetCatalog(plan.target.name, [entry('toolchain')]));
  expect(await vettedInCatalog(store, NOW)(plan)).toBe(false);
  await store.write(
    targetCatalog(plan.target.name, [
      entry('toolchain'),
      entry('runtime', { inputsDigest: `sha256:${'9'.repeat(64)}` }),
    ]),
  );
  expect(await vettedInCatalog(store, NOW)(plan)).toBe(false);
});

test('no catalog for the target: to be built', async () => {
  expect(await vettedInCatalog(store, NOW, fakeClient([]))(plan)).toBe(false);
});

test('without a registry (a local catalog), the catalog alone decides', async () => {
  await store.write(
    targetCatalog(plan.target.name, [
      entry('toolchain', { manifestDigest: undefined }),
      entry('runtime', { manifestDigest: undefined }),
    ]),
  );
  expect(await vettedInCatalog(store, NOW)(plan)).toBe(true);
  const client = fakeClient([]);
  expect(await vettedInCatalog(store, NOW, client)(plan)).toBe(true);
  expect(client.heads).toEqual([]);
});

test('vetted under a waiver: still vetted through its last day, checked again once it has expired', async () => {
  const waived = { manifestDigest: undefined, waivers: [{ id: 'site.git-version', until: '2027-01-15' }] };
  await store.write(targetCatalog(plan.target.name, [entry('toolchain', waived), entry('runtime', waived)]));
  expect(await vettedInCatalog(store, new Date('2027-01-15T23:59:59Z'))(plan)).toBe(true);
  expect(await vettedInCatalog(store, new Date('2027-01-16T00:00:00Z'))(plan)).toBe(false);
});
