import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import { tempDir } from '../golang/go-fixtures';
import { catalogAmi, catalogImage, targetCatalog } from './catalog-fixtures';
import { digestOf } from './fake-registry';

let store: LocalCatalogStore;
beforeEach(async () => {
  store = new LocalCatalogStore(await tempDir('catalog'));
});

test('a written catalog reads back equal, and its target is listed', async () => {
  const catalog = targetCatalog(
    'debian12-amd64',
    [catalogImage(1), catalogImage(2, { kind: 'runtime' })],
    [catalogAmi(1)],
  );
  await store.write(catalog);
  await store.write(targetCatalog('alpine3-arm64', []));
  expect(await store.read('debian12-amd64')).toEqual(catalog);
  expect(await store.targets()).toEqual(['alpine3-arm64', 'debian12-amd64']);
});

test('an unknown target, or an empty directory, has no catalog', async () => {
  expect(await store.read('debian12-amd64')).toBeUndefined();
  expect(await store.targets()).toEqual([]);
});

test('a rewrite replaces the document and leaves no temp file beside it', async () => {
  await store.write(targetCatalog('debian12-amd64', [catalogImage(1)]));
  await store.write(targetCatalog('debian12-amd64', [catalogImage(2)]));
  expect((await store.read('debian12-amd64'))?.images.map((i) => i.tag)).toEqual([catalogImage(2).tag]);
  expect(await fs.readdir(join(store.location, 'targets'))).toEqual(['debian12-amd64.json']);
});

test('reports are stored by their sha256 and read back', async () => {
  const report = Buffer.from('{"passed":true}');
  const digest = await store.putReport(report);
  expect(digest).toBe(digestOf(report));
  expect(await store.putReport(report)).toBe(digest);
  expect(await fs.readFile(join(store.location, 'reports', 'sha256', digest.slice('sha256:'.length)))).toEqual(report);
  expect(await store.getReport(digest)).toEqual(report);
  expect(await store.getReport(digestOf('other'))).toBeUndefined();
});

test('a report whose bytes were changed on disk is refused', async () => {
  const digest = await store.putReport(Buffer.from('{"passed":false}'));
  await fs.writeFile(join(store.location, 'reports', 'sha256', digest.slice('sha256:'.length)), '{"passed":true}');
  await expect(store.getReport(digest)).rejects.toMatchObject({
    exitCode: ExitCode.Untrusted,
    message: expect.stringContaining(`report ${digest}`),
  });
});

test.each([
  ['not JSON', '{"schema": "bake.catalog/v1", "target": ', 'is not valid JSON'],
  ['another document', '{"schema": "bake.plan/v1", "target": "debian12-amd64"}', 'is not a bake.catalog/v1 document'],
])('a corrupt document (%s) fails with where it is and what is wrong', async (_what, text, problem) => {
  const path = join(store.location, 'targets', 'debian12-amd64.json');
  await fs.mkdir(join(store.location, 'targets'), { recursive: true });
  await fs.writeFile(path, text);
  const err = await store.read('debian12-amd64').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  expect((err as Error).message).toBe(`catalog ${path} ${problem}`);
});

test('a name that is not a target never becomes a path', async () => {
  await expect(store.read('../../etc/passwd')).rejects.toThrow('not a target name: ../../etc/passwd');
  await expect(store.write(targetCatalog('../escape', []))).rejects.toThrow('not a target name');
});
