import type { Logger } from '../common/log';
import { defaultCacheDir, defaultStateDir } from '../common/paths';
import { loadVersionPolicy } from '../golang/version-policy';
import type { PlanContext } from '../plan/types';
import { expandTargets } from '../recipe/expand-targets';
import { loadRecipes } from '../recipe/load-recipes';
import type { GoSourceKind, Target } from '../recipe/types';

/** Where a run takes its recipes, Go and state from (the CLI's global options). */
export interface SessionOptions {
  recipes: string;
  goSource?: GoSourceKind[];
  goMirror?: string;
  trustKey: string[];
  cacheDir?: string;
  stateDir?: string;
}

/** What a command works with, built once: the recipes' targets, the version policy, the directories. */
export interface Session extends PlanContext {
  logger: Logger;
  stateDir: string;
  targets: Target[];
}

export async function openSession(options: SessionOptions, logger: Logger): Promise<Session> {
  const { recipes } = await loadRecipes(options.recipes);
  return {
    logger,
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    stateDir: options.stateDir ?? defaultStateDir(),
    recipesDir: options.recipes,
    targets: expandTargets(recipes),
    policy: await loadVersionPolicy(options.recipes),
    now: new Date(),
    goSource: options.goSource,
    goMirror: options.goMirror,
    trustKeys: options.trustKey,
    env: process.env,
  };
}
