import type { Plan } from '../../../bake/plan/types';
import type { BakedTarget } from '../../../bake/pipeline/types';
import { explainRebuilds } from '../../../bake/nightly/rebuild-reasons';
import type { CatalogStore, TargetCatalog } from '../../../bake/registry/types';
import { makePlan } from '../../../bake/render/make-plan';
import { catalogImage, targetCatalog } from '../registry/catalog-fixtures';
import { FIXTURE_EPOCH, fixtureGo, handMadeTarget } from '../render/render-fixtures';

const target = handMadeTarget({ kinds: ['toolchain'] });
const verdict = { status: 'supported' as const, line: '1.22', recommended: '1.22.12', messages: [] };
const plan = (version: string): Plan =>
  makePlan({ target, go: fixtureGo(target, version), sourceDateEpoch: FIXTURE_EPOCH, verdict }).plan;

/** A catalog that holds one document per target, as a run leaves it. */
function catalogOf(docs: TargetCatalog[]): CatalogStore {
  return { read: async (name: string) => docs.find((d) => d.target === name) } as unknown as CatalogStore;
}

describe('explainRebuilds', () => {
  const before = plan('1.22.11');
  const now = plan('1.22.12');
  const doc = targetCatalog('testos1-amd64', [
    catalogImage(1, {
      target: 'testos1-amd64',
      inputsDigest: before.inputsDigest,
      goVersion: '1.22.11',
      goSha256: before.go.sha256,
      baseDigest: before.base.digest,
    }),
    catalogImage(2, { target: 'testos1-amd64', inputsDigest: now.inputsDigest, goVersion: '1.22.12' }),
  ]);
  const result = (status: BakedTarget['result']['status']) => ({
    target: 'testos1-amd64',
    status,
    images: [],
    durationMs: 1,
  });

  test('a rebuilt target says what changed since the vetted image it replaces', async () => {
    const baked: BakedTarget[] = [{ result: result('vetted'), plan: now }];
    await explainRebuilds(baked, catalogOf([doc]));
    expect(baked[0].result.changes).toEqual(['Go 1.22.11 → 1.22.12']);
  });

  test('skipped, failed or never planned targets are left as they are', async () => {
    const baked: BakedTarget[] = [
      { result: result('skipped'), plan: now },
      { result: result('failed'), plan: now },
      { result: result('unavailable') },
    ];
    await explainRebuilds(baked, catalogOf([doc]));
    expect(baked.map((b) => b.result.changes)).toEqual([undefined, undefined, undefined]);
  });

  test('a first bake has nothing it replaces', async () => {
    const baked: BakedTarget[] = [{ result: result('up-to-date'), plan: now }];
    await explainRebuilds(baked, catalogOf([]));
    expect(baked[0].result.changes).toEqual(['no vetted image before']);
  });
});
