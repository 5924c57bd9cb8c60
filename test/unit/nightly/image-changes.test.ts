import { makePlan } from '../../../bake/render/make-plan';
import type { Plan } from '../../../bake/plan/types';
import {
  imageChanges,
  OTHER_INPUTS,
  packageChanges,
  previousVetted,
  targetChanges,
} from '../../../bake/nightly/image-changes';
import { catalogImage, targetCatalog } from '../registry/catalog-fixtures';
import { FIXTURE_EPOCH, fixtureGo, handMadeTarget } from '../render/render-fixtures';

const verdict = {
  status: 'supported' as const,
  line: '1.22',
  endOfSupport: '2027-06-30',
  recommended: '1.22.12',
  messages: [],
};
const target = handMadeTarget({
  base: {
    ref: `registry.example/testos:1@sha256:${'0'.repeat(64)}`,
    bootstrap: { suite: 'bookworm', variant: 'minbase' },
  },
});

function plan(version: string, openssl: string, baseDigest: string): Plan {
  return makePlan({
    target,
    go: fixtureGo(target, version),
    sourceDateEpoch: FIXTURE_EPOCH,
    verdict,
    os: {
      base: { suite: 'bookworm', arch: 'amd64', digest: baseDigest, packages: { libc6: '2.36-9' } },
      packages: {
        pinned: true,
        manager: 'apt',
        images: {
          toolchain: [
            { name: 'git', version: '1:2.39.5-0+deb12u2', arch: 'amd64' },
            { name: 'openssl', version: openssl, arch: 'amd64' },
          ],
          runtime: [],
        },
      },
    },
  }).plan;
}

describe('imageChanges', () => {
  const before = plan('1.22.11', '3.0.15-1~deb12u1', `sha256:${'1'.repeat(64)}`);
  const vetted = catalogImage(1, {
    inputsDigest: before.inputsDigest,
    goVersion: '1.22.11',
    goSha256: before.go.sha256,
    baseArchiveDigest: before.base.archive!.digest,
    packages: { git: '1:2.39.5-0+deb12u2', openssl: '3.0.15-1~deb12u1' },
  });

  test('the same inputs: nothing changed', () => {
    expect(imageChanges(before, 'toolchain', vetted)).toEqual([]);
  });

  test('a package update alone names the package and both versions', () => {
    expect(imageChanges(plan('1.22.11', '3.0.16-1~deb12u1', `sha256:${'1'.repeat(64)}`), 'toolchain', vetted)).toEqual([
      'openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1',
    ]);
  });

  test('Go patch, base and package together, one line each', () => {
    expect(imageChanges(plan('1.22.12', '3.0.16-1~deb12u1', `sha256:${'2'.repeat(64)}`), 'toolchain', vetted)).toEqual([
      'Go 1.22.11 → 1.22.12',
      `base sha256:${'1'.repeat(12)}… → sha256:${'2'.repeat(12)}…`,
      'openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1',
    ]);
  });

  test('a change of nothing bake resolves is the recipe', () => {
    const changed = makePlan({
      target: { ...target, env: { ...target.env, GOPRIVATE: 'corp.example' } },
      go: before.go,
      sourceDateEpoch: FIXTURE_EPOCH,
      verdict,
      os: { base: before.base.archive, packages: before.packages! },
    }).plan;
    expect(imageChanges(changed, 'toolchain', vetted)).toEqual([OTHER_INPUTS]);
  });

  test('an entry from before versions were recorded, and no entry at all', () => {
    const old = catalogImage(1, { goVersion: '1.22.11', goSha256: before.go.sha256, baseDigest: before.base.digest });
    expect(imageChanges(before, 'toolchain', old)).toEqual([
      `base ${before.base.digest.slice(0, 19)}… → ${before.base.archive!.digest.slice(0, 19)}…`,
      'packages pinned (versions were not recorded before)',
    ]);
    expect(imageChanges(before, 'toolchain', undefined)).toEqual(['no vetted image before']);
  });

  test('targetChanges: both kinds, each line once; the image replaced is the newest with other inputs', () => {
    const now = plan('1.22.12', '3.0.15-1~deb12u1', `sha256:${'1'.repeat(64)}`);
    const doc = targetCatalog('testos1-amd64', [
      vetted,
      { ...vetted, kind: 'runtime', packages: {} },
      catalogImage(9, { inputsDigest: now.inputsDigest }),
    ]);
    expect(previousVetted(doc, 'toolchain', now.inputsDigest)).toBe(vetted);
    expect(targetChanges(now, doc, (d, kind) => previousVetted(d, kind, now.inputsDigest))).toEqual([
      'Go 1.22.11 → 1.22.12',
    ]);
  });
});

describe('packageChanges', () => {
  test('updated, added and removed, by name', () => {
    expect(packageChanges({ a: '1', b: '1', c: '1' }, { a: '2', c: '1', d: '1' })).toEqual([
      'a 1 → 2',
      'b 1 (removed)',
      'd 1 (added)',
    ]);
  });
});
