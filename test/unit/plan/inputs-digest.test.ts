import type { PolicyVerdict } from '../../../bake/golang/types';
import { makePlan } from '../../../bake/render/make-plan';
import type { Target } from '../../../bake/recipe/types';
import { fixtureGo, shippedTargets } from '../render/render-fixtures';

const verdict: PolicyVerdict = {
  status: 'supported',
  line: '1.22',
  endOfSupport: '2027-06-30',
  recommended: '1.22.12',
  messages: [],
};

describe('inputs digest', () => {
  let target: Target;
  beforeAll(async () => {
    target = (await shippedTargets()).find((t) => t.name === 'debian12-amd64')!;
  });
  const digest = (t: Target, go = fixtureGo(t), v = verdict) =>
    makePlan({ target: t, go, verdict: v, sourceDateEpoch: 1793651780 }).plan.inputsDigest;

  test('the same inputs always give the same digest', () => {
    expect(digest(target)).toBe(digest(structuredClone(target)));
    expect(digest(target)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test.each([
    ['the Go policy', (t: Target) => ({ ...t, env: { ...t.env, GOPROXY: 'https://goproxy.cn,direct' } })],
    ['the packages', (t: Target) => ({ ...t, packages: [...t.packages, 'make'] })],
    ['the base reference', (t: Target) => ({ ...t, base: { ...t.base, ref: t.base.ref.replace(/.$/, '0') } })],
    ['the build user', (t: Target) => ({ ...t, user: { ...t.user, uid: 10002 } })],
    ['the checks', (t: Target) => ({ ...t, checks: { extra: [], skip: ['secrets.none'] } })],
    ['the Go range', (t: Target) => ({ ...t, go: { ...t.go, versions: '>=1.22.10 <1.23' } })],
    ['the VM settings', (t: Target) => ({ ...t, vm: { ...t.vm, instanceType: 'm7i.large' } })],
  ])('changes with %s', (_what, change) => {
    expect(digest(change(target))).not.toBe(digest(target));
  });

  test('changes with the Go archive (another patch release or other bytes)', () => {
    const go = fixtureGo(target);
    expect(digest(target, { ...go, sha256: 'f'.repeat(64) })).not.toBe(digest(target));
    expect(digest(target, { ...go, version: '1.22.11', filename: 'go1.22.11.linux-amd64.tar.gz' })).not.toBe(
      digest(target),
    );
  });

  test('changes with the version policy of its Go line, not with the calendar', () => {
    expect(digest(target, fixtureGo(target), { ...verdict, endOfSupport: '2027-12-31' })).not.toBe(digest(target));
    expect(
      digest(target, fixtureGo(target), {
        ...verdict,
        status: 'expiring',
        messages: ['Go 1.22 support ends in 20 days'],
      }),
    ).toBe(digest(target));
  });

  test('does not change with where the recipe file lives', () => {
    expect(digest({ ...target, recipeFile: '/elsewhere/recipes/debian12.yaml' })).toBe(digest(target));
  });

  test('does not change with where the same archive came from', () => {
    const go = fixtureGo(target);
    expect(digest(target, { ...go, origin: 'https://mirror.example/go/', verifiedBy: ['another path'] })).toBe(
      digest(target),
    );
  });
});
