import { findVettedImage } from '../../../bake/pipeline/vetted-images';
import type { Plan } from '../../../bake/plan/types';
import type { Report } from '../../../bake/readiness/types';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';

const plan: Plan = {
  ...fixtureCore(handMadeTarget()),
  contexts: { toolchain: [], runtime: [] },
  inputsDigest: `sha256:${'c'.repeat(64)}`,
};
const repository = `bake/${plan.target.recipe}-go`;

/** One image of this plan in the engine, vetted by `report`. */
function setup(report: Partial<Report> | string) {
  const image = { id: 'sha256:img', tags: [`${repository}:1.27-amd64`], labels: { 'io.bake.kind': 'toolchain' } };
  const engine = { listImages: async () => [image] } as never;
  const bytes = Buffer.from(typeof report === 'string' ? report : JSON.stringify(report));
  const verdicts = { verdictOf: async () => 'sha256:report', getReport: async () => bytes };
  return (now: string) => findVettedImage(engine, verdicts, plan, 'toolchain', 'bake', new Date(now));
}

const waived = (until: string) =>
  ({
    results: [
      { id: 'site.git', status: 'waived', waiver: { reason: 'PLAT-1', until, effect: 'applied' } },
      { id: 'go.version', status: 'pass' },
    ],
  }) as unknown as Report;

test('an image vetted without waivers stays up to date', async () => {
  expect(await setup({ results: [] })('2030-01-01T00:00:00Z')).toMatchObject({ id: 'sha256:img' });
});

test('an image vetted under a waiver is up to date through its last day, checked again after it', async () => {
  const find = setup(waived('2027-01-31'));
  expect(await find('2027-01-31T23:00:00Z')).toMatchObject({ id: 'sha256:img' });
  expect(await find('2027-02-01T00:00:00Z')).toBeUndefined();
});

test('a report that cannot be read vouches for nothing', async () => {
  expect(await setup('{ not json')('2027-01-01T00:00:00Z')).toBeUndefined();
});
