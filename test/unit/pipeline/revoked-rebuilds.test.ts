import { refuseReproducedRevoked, revokedReason } from '../../../bake/pipeline/revoked-rebuilds';
import type { BakedTarget } from '../../../bake/pipeline/types';
import type { Plan } from '../../../bake/plan/types';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import { recordingLogger } from '../golang/go-fixtures';
import { catalogImage } from '../registry/catalog-fixtures';
import { scratchDir } from '../scratch-dir';

const revoked = { at: '2026-02-01T00:00:00.000Z', by: 'alice', reason: 'bad proxy' };
const plan = (n: number) =>
  ({
    target: { name: 'debian12-amd64', kinds: ['toolchain', 'runtime'], arch: 'amd64' },
    inputsDigest: catalogImage(n).inputsDigest,
  }) as unknown as Plan;

test('a plan whose newest image of these inputs is revoked is rebuilt, saying why', async () => {
  const reason = await revokedReason([catalogImage(1), { ...catalogImage(2), revoked }])(plan(2));
  expect(reason).toBe(
    `rebuilt: its toolchain image ${catalogImage(2).manifestDigest} ` +
      'was revoked by alice at 2026-02-01T00:00:00.000Z: bad proxy',
  );
  expect(await revokedReason([catalogImage(1), { ...catalogImage(2), revoked }])(plan(1))).toBeUndefined();
});

test('once a later build of the same inputs replaced the revoked one, nothing is rebuilt', async () => {
  const later = catalogImage(2, { imageId: 'sha256:new', vettedAt: '2026-03-01T00:00:00.000Z' });
  expect(await revokedReason([{ ...catalogImage(2), revoked }, later])(plan(2))).toBeUndefined();
});

test('the same image in two catalogs, revoked in one of them, is revoked', async () => {
  const local = catalogImage(2, { manifestDigest: undefined });
  expect(await revokedReason([{ ...catalogImage(2), revoked }, local])(plan(2))).toMatch(/^rebuilt: /);
});

test('a rebuild that reproduced the revoked image fails with what to do; another image passes', async () => {
  const images = [{ ...catalogImage(2), revoked }];
  const baked = (imageId: string): BakedTarget => ({
    plan: plan(2),
    result: {
      target: 'debian12-amd64',
      status: 'vetted',
      images: [{ kind: 'toolchain', status: 'vetted', imageId, tags: [], reportDigest: 'x' }],
      durationMs: 1,
    },
  });
  const same = baked(catalogImage(2).imageId);
  const other = baked('sha256:different');
  const catalog = new LocalCatalogStore(scratchDir('bake-revoked-rebuilds-'));
  const engine = { inspectImage: async () => undefined, tag: async () => {}, removeImage: async () => {} };
  await refuseReproducedRevoked([same, other], images, { catalog, engineFor: async () => engine }, recordingLogger());
  expect(same.result).toMatchObject({
    status: 'failed',
    exitCode: 1,
    message: expect.stringContaining('the rebuild reproduced the revoked toolchain image'),
  });
  expect(same.result.message).toContain('bake registry unrevoke');
  expect(other.result.status).toBe('vetted');
});
