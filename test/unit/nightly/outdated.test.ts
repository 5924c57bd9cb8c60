jest.mock('../../../bake/render/plan-target', () => ({ planTarget: jest.fn() }));
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { silentLogger } from '../../../bake/common/log';
import { findOutdated } from '../../../bake/nightly/outdated';
import type { PlanContext } from '../../../bake/plan/types';
import type { CatalogStore, TargetCatalog } from '../../../bake/registry/types';
import { makePlan } from '../../../bake/render/make-plan';
import { planTarget } from '../../../bake/render/plan-target';
import { catalogImage, targetCatalog } from '../registry/catalog-fixtures';
import { FIXTURE_EPOCH, fixtureGo, handMadeTarget } from '../render/render-fixtures';

// Planning reads the network (Go index, Debian archive): here it answers with fixed plans.
const verdict = { status: 'supported' as const, line: '1.22', recommended: '1.22.12', messages: [] };
const target = (name: string) => handMadeTarget({ name });
const planned = (name: string, version: string) => {
  const t = target(name);
  return makePlan({ target: t, go: fixtureGo(t, version), sourceDateEpoch: FIXTURE_EPOCH, verdict });
};
const ctx = { logger: silentLogger, now: new Date('2026-12-06T12:00:00Z') } as PlanContext;
const catalogOf = (docs: TargetCatalog[]): CatalogStore =>
  ({ location: '/state/catalog', read: async (name: string) => docs.find((d) => d.target === name) }) as CatalogStore;

describe('findOutdated', () => {
  const today = {
    a: planned('a-amd64', '1.22.12'),
    b: planned('b-amd64', '1.22.12'),
    old: planned('a-amd64', '1.22.11'),
  };
  beforeEach(() => {
    jest.mocked(planTarget).mockImplementation(async (_ctx, t) => {
      if (t.name === 'c-amd64') throw new BakeError('go.dev unreachable', ExitCode.Unavailable);
      // Only the plan is read: the contexts and the distribution's path are not.
      return (t.name === 'a-amd64' ? today.a : today.b) as Awaited<ReturnType<typeof planTarget>>;
    });
  });

  test('each kind behind (and why), current or never vetted; a target that cannot be planned listed', async () => {
    const docs = [
      targetCatalog('a-amd64', [
        catalogImage(1, {
          target: 'a-amd64',
          kind: 'toolchain',
          inputsDigest: today.old.plan.inputsDigest,
          goVersion: '1.22.11',
          goSha256: today.old.plan.go.sha256,
          baseDigest: today.old.plan.base.digest,
        }),
        catalogImage(2, { target: 'a-amd64', kind: 'runtime', inputsDigest: today.a.plan.inputsDigest }),
      ]),
    ];
    const report = await findOutdated({
      ctx,
      targets: [target('a-amd64'), target('b-amd64'), target('c-amd64')],
      catalog: catalogOf(docs),
    });
    expect(report).toEqual({
      schema: 'bake.outdated/v1',
      location: '/state/catalog',
      behind: [
        {
          target: 'a-amd64',
          kind: 'toolchain',
          image: `${docs[0].images[0].repository}:${docs[0].images[0].tag}`,
          vettedInputs: today.old.plan.inputsDigest,
          todayInputs: today.a.plan.inputsDigest,
          changes: ['Go 1.22.11 → 1.22.12'],
        },
      ],
      current: ['a-amd64/runtime'],
      notVetted: ['b-amd64/toolchain', 'b-amd64/runtime'],
      failed: [{ target: 'c-amd64', message: 'go.dev unreachable' }],
      waivers: [],
    });
  });

  test('a signature that does not verify stops the command, as it stops a plan', async () => {
    jest.mocked(planTarget).mockRejectedValue(new BakeError('bad signature', ExitCode.Untrusted));
    await expect(findOutdated({ ctx, targets: [target('a-amd64')], catalog: catalogOf([]) })).rejects.toMatchObject({
      exitCode: ExitCode.Untrusted,
    });
  });
});
