import { isAbsolute, resolve } from 'node:path';
import { createLogger, type Logger } from '../common/log';
import { defaultCacheDir, defaultStateDir } from '../common/paths';
import { DownloadCache } from '../golang/download-cache';
import { createGoSources, resolveGoDistribution } from '../golang/go-sources';
import { loadTrustedKeys } from '../golang/trusted-keys';
import type { CachedGoDistribution, GoVersionPolicy } from '../golang/types';
import { loadVersionPolicy } from '../golang/version-policy';
import { makePlan, type PlanWithContexts } from '../plan/make-plan';
import { expandTargets, selectTargets } from '../recipe/expand-targets';
import { loadRecipes } from '../recipe/load-recipes';
import type { GoSourceKind, Target } from '../recipe/types';
import type { GlobalOptions } from './global-options';

/** What a command works with, built once from the global options. */
export interface Session {
  options: GlobalOptions;
  logger: Logger;
  cacheDir: string;
  stateDir: string;
  recipesDir: string;
  targets: Target[];
  policy: GoVersionPolicy;
  now: Date;
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  const logger = createLogger({ debug: options.debug, quiet: options.quiet });
  const { recipes } = await loadRecipes(options.recipes);
  return {
    options,
    logger,
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    stateDir: options.stateDir ?? defaultStateDir(),
    recipesDir: options.recipes,
    targets: expandTargets(recipes),
    policy: await loadVersionPolicy(options.recipes),
    now: new Date(),
  };
}

export function pickTargets(session: Session, names: string[]): Target[] {
  return selectTargets(session.targets, names);
}

/**
 * Which Go sources a target tries, in order: `--go-source` overrides the recipe's list;
 * an explicitly given mirror (flag or BAKE_GO_MIRROR) moves `mirror` to the front, since
 * naming a mirror states the intent to use it.
 */
export function goSourceOrder(target: Target, options: GlobalOptions, env = process.env): { kinds: GoSourceKind[]; mirror?: string } {
  const explicitMirror = options.goMirror ?? env.BAKE_GO_MIRROR;
  const mirror = explicitMirror ?? (target.go.mirror ? resolveMirror(target.go.mirror, options.recipes) : undefined);
  if (options.goSource) return { kinds: options.goSource, mirror };
  const kinds = explicitMirror ? ['mirror' as const, ...target.go.sources.filter((k) => k !== 'mirror')] : target.go.sources;
  return { kinds, mirror };
}

/** A recipe's relative mirror path is relative to the recipes directory; URLs stay as they are. */
function resolveMirror(location: string, recipesDir: string): string {
  return /^[a-z]+:\/\//.test(location) || isAbsolute(location) ? location : resolve(recipesDir, location);
}

export interface ResolvedGo {
  dist: CachedGoDistribution;
  planned: PlanWithContexts;
}

/** Resolves, fetches and verifies the target's Go distribution, then makes its plan. */
export async function planTarget(session: Session, target: Target, render: { dockerfileSyntax?: string } = {}): Promise<ResolvedGo> {
  const { dist, verdict } = await resolveTargetGo(session, target, true);
  const cached = dist as CachedGoDistribution;
  for (const message of verdict.messages) session.logger.warn(`${target.name}: ${message}`);
  return { dist: cached, planned: makePlan({ target, go: cached, verdict, render }) };
}

export async function resolveTargetGo(session: Session, target: Target, fetch: boolean) {
  const { kinds, mirror } = goSourceOrder(target, session.options);
  const trustedKeys = await loadTrustedKeys({ files: session.options.trustKey, env: process.env });
  const sources = createGoSources({
    kinds,
    mirror,
    cache: new DownloadCache(session.cacheDir),
    cacheDir: session.cacheDir,
    trustedKeys,
    logger: session.logger,
  });
  return resolveGoDistribution({ target, policy: session.policy, now: session.now, sources, logger: session.logger, fetch });
}
