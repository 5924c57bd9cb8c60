import type { GoDistribution, PolicyVerdict } from '../golang/types';
import type { Target } from '../recipe/types';
import { goEnvironment } from './go-environment';
import { imageLabels } from './labels';
import { warmCache } from './warm-cache';
import type { ResolvedOsPackages } from './os-packages';
import type { PlanCore } from './types';

export interface PlanInput {
  target: Target;
  go: GoDistribution;
  /** The builder stage's Go, when the target is not this machine's arch. */
  builderGo?: GoDistribution;
  /** SOURCE_DATE_EPOCH of the images (source-date-epoch.ts). */
  sourceDateEpoch: number;
  verdict: PolicyVerdict;
  /** OS packages resolved from the archive (and the bootstrapped base's state). */
  os?: ResolvedOsPackages;
}

/**
 * Everything of a target's plan that is resolved before rendering; pure. The rendered files
 * and the inputs digest over them are added by the render stage (makePlan).
 */
export function planCore({ target, go, builderGo, sourceDateEpoch, verdict, os }: PlanInput): PlanCore {
  const cache = target.kinds.includes('toolchain') ? warmCache(target) : undefined;
  const partial = {
    schema: 'bake.plan/v1' as const,
    target,
    go: withoutPath(go),
    ...(builderGo ? { builderGo: withoutPath(builderGo) } : {}),
    sourceDateEpoch,
    base: {
      ref: target.base.ref,
      digest: baseDigest(target.base.ref),
      ...(target.base.bootstrap ? { bootstrap: target.base.bootstrap } : {}),
      ...(os?.base ? { archive: os.base } : {}),
    },
    ...(os ? { packages: os.packages } : {}),
    policy: verdict,
    env: goEnvironment(target),
    ...(cache ? { warmCache: cache } : {}),
  };
  return { ...partial, labels: imageLabels(partial) };
}

/** A distribution as the plan records it: where it sits in this machine's cache is not an input. */
function withoutPath(go: GoDistribution & { path?: string }): GoDistribution {
  const { path: _localPath, ...record } = go;
  return record;
}

/** The digest a reference is pinned to (the schema guarantees there is one). */
export function baseDigest(ref: string): string {
  return ref.slice(ref.indexOf('@') + 1);
}
