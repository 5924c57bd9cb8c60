// Plans for rendering tests: real recipes (or hand-made targets) with a fixed, synthetic Go
// distribution, so rendered bytes depend only on the recipe and bake's templates.
import { warmCache } from '../../../bake/plan/warm-cache';
import semver from 'semver';
import { sha256Hex } from '../../../bake/common/sha256';
import type { GoDistribution, PolicyVerdict } from '../../../bake/golang/types';
import type { PlanCore } from '../../../bake/plan/types';
import { expandTargets } from '../../../bake/recipe/expand-targets';
import { loadRecipes } from '../../../bake/recipe/load-recipes';
import type { Target } from '../../../bake/recipe/types';
import { goEnvironment } from '../../../bake/plan/go-environment';
import { imageLabels } from '../../../bake/plan/labels';
import { goEnvPolicy } from '../readiness/fake-driver';

export async function shippedTargets(): Promise<Target[]> {
  const { recipes } = await loadRecipes('recipes');
  return expandTargets(recipes);
}

/**
 * The shipped targets by name, so a golden file per target is asserted by name: one per
 * architecture, and per Go line where a recipe names several (debian13).
 */
export const SHIPPED_TARGET_NAMES = ['centos7', 'debian12', 'debian13', 'rocky9', 'ubuntu2404'].flatMap((r) =>
  ['amd64', 'arm64'].flatMap((arch) =>
    r === 'debian13' ? [`${r}-${arch}-go1.27`, `${r}-${arch}-go1.26`] : [`${r}-${arch}`],
  ),
);

/** The newest patch of the target's line among those Debian ships (hand-made targets name older lines). */
export function fixtureGoVersion(target: Target): string {
  return ['1.27.4', '1.26.11', '1.22.12', '1.23.5'].find((v) => semver.satisfies(v, target.go.versions)) ?? '1.24.4';
}

export function fixtureGo(target: Target, version = fixtureGoVersion(target)): GoDistribution {
  const filename = `go${version}.linux-${target.arch}.tar.gz`;
  return {
    version,
    arch: target.arch,
    source: 'official',
    filename,
    sha256: sha256Hex(`fake archive ${filename}`),
    size: 70_000_000,
    origin: 'https://go.dev/dl/',
    verifiedBy: ['sha256 against the signed release index'],
  };
}

const VERDICT: PolicyVerdict = { status: 'supported', line: '1.27', recommended: '1.27.4', messages: [] };

export function fixtureCore(target: Target, go: GoDistribution = fixtureGo(target)): PlanCore {
  const partial = {
    schema: 'bake.plan/v1' as const,
    target,
    go,
    base: {
      ref: target.base.ref,
      digest: target.base.ref.slice(target.base.ref.indexOf('@') + 1),
      ...(target.base.bootstrap ? { bootstrap: target.base.bootstrap } : {}),
    },
    policy: VERDICT,
    env: goEnvironment(target),
    sourceDateEpoch: FIXTURE_EPOCH,
  };
  const cache = target.kinds.includes('toolchain') ? warmCache(target) : undefined;
  return { ...partial, ...(cache ? { warmCache: cache } : {}), labels: imageLabels(partial) };
}

/** SOURCE_DATE_EPOCH of fixture plans: 2026-11-02T20:36:20Z. */
export const FIXTURE_EPOCH = 1793651780;

/** A complete target without the recipe schema, so tests can use values the schema refuses. */
export function handMadeTarget(overrides: Partial<Target> = {}): Target {
  return {
    name: 'testos1-amd64',
    recipe: 'testos1',
    recipeFile: 'recipes/testos1.yaml',
    distro: 'testos',
    version: '1',
    family: 'debian',
    arch: 'amd64',
    kinds: ['toolchain', 'runtime'],
    base: { ref: `registry.example/testos:1@sha256:${'0'.repeat(64)}` },
    packages: ['ca-certificates', 'git'],
    go: { versions: '1.22.x', sources: ['official'] },
    env: { ...goEnvPolicy },
    user: { name: 'gobuild', uid: 10001, gid: 10001 },
    tools: [],
    image: { sizeBudgetMB: 1024, runtimeSizeBudgetMB: 256 },
    vm: {
      sourceAmi: { name: 'testos-1-*', owners: ['123456789012'], architecture: 'x86_64' },
      instanceType: 't3.medium',
      rootVolumeGiB: 16,
      services: { enable: [], disable: [] },
      selinux: 'none',
    },
    checks: { extra: [], skip: [] },
    ...overrides,
  };
}
