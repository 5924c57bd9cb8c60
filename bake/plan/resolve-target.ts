import { isAbsolute, resolve } from 'node:path';
import { createGoSources, resolveGoDistribution, type ResolvedGoDistribution } from '../golang/go-sources';
import type { CachedGoDistribution } from '../golang/types';
import type { GoSourceKind, Target } from '../recipe/types';
import { resolveOsPackages } from './os-packages';
import { hostArch } from './host-arch';
import { planCore } from './plan-core';
import { runShared } from './run-shared';
import { sourceDateEpoch } from './source-date-epoch';
import type { PlanContext, ResolvedTarget } from './types';

/**
 * Which Go sources a target tries, in order: `--go-source` overrides the recipe's list;
 * an explicitly given mirror (flag or BAKE_GO_MIRROR) moves `mirror` to the front, since
 * naming a mirror states the intent to use it.
 */
export function goSourceOrder(
  target: Target,
  ctx: Pick<PlanContext, 'goSource' | 'goMirror' | 'recipesDir' | 'env'>,
): { kinds: GoSourceKind[]; mirror?: string } {
  const explicitMirror = ctx.goMirror ?? ctx.env.BAKE_GO_MIRROR;
  const mirror = explicitMirror ?? (target.go.mirror ? resolveMirror(target.go.mirror, ctx.recipesDir) : undefined);
  if (ctx.goSource) return { kinds: ctx.goSource, mirror };
  const kinds = explicitMirror
    ? ['mirror' as const, ...target.go.sources.filter((k) => k !== 'mirror')]
    : target.go.sources;
  return { kinds, mirror };
}

/** A recipe's relative mirror path is relative to the recipes directory; URLs stay as they are. */
function resolveMirror(location: string, recipesDir: string): string {
  return /^[a-z]+:\/\//.test(location) || isAbsolute(location) ? location : resolve(recipesDir, location);
}

/**
 * Resolves, fetches and verifies the target's Go distribution, resolves its OS packages,
 * and plans all but the rendering.
 */
export async function resolveTarget(ctx: PlanContext, target: Target): Promise<ResolvedTarget> {
  const { dist, verdict } = await resolveTargetGo(ctx, target, true);
  const cached = dist as CachedGoDistribution;
  for (const message of verdict.messages) ctx.logger.warn(`${target.name}: ${message}`);
  const builderDist = await resolveBuilderGo(ctx, target, cached);
  const os = await resolveOsPackages(ctx, target);
  const epoch = await sourceDateEpoch(cached, ctx.cacheDir);
  return {
    dist: cached,
    ...(builderDist ? { builderDist } : {}),
    core: planCore({ target, go: cached, builderGo: builderDist, sourceDateEpoch: epoch, verdict, os }),
  };
}

/**
 * The builder stage compiles on the build platform: for a target of another arch it needs the
 * same Go release for this machine's arch, from the same sources, verified the same way.
 */
async function resolveBuilderGo(
  ctx: PlanContext,
  target: Target,
  dist: CachedGoDistribution,
): Promise<CachedGoDistribution | undefined> {
  const arch = hostArch();
  if (!arch || arch === target.arch) return undefined;
  const builder = { ...target, arch, go: { ...target.go, versions: dist.version } };
  return (await resolveTargetGo(ctx, builder, true)).dist as CachedGoDistribution;
}

/** The target's Go release from the first reachable source; fetched and verified unless `fetch` is false. */
export async function resolveTargetGo(
  ctx: PlanContext,
  target: Target,
  fetch: boolean,
): Promise<ResolvedGoDistribution> {
  const { kinds, mirror } = goSourceOrder(target, ctx);
  const shared = runShared(ctx);
  const sources = createGoSources({
    kinds,
    mirror,
    cache: shared.cache,
    cacheDir: ctx.cacheDir,
    trustedKeys: await shared.trustedKeys,
    logger: ctx.logger,
    debian: shared.debian,
  });
  return resolveGoDistribution({ target, policy: ctx.policy, now: ctx.now, sources, logger: ctx.logger, fetch });
}
