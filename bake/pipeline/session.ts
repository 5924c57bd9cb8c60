import type { Logger } from '../common/log';
import { defaultCacheDir, defaultStateDir } from '../common/paths';
import { loadVersionPolicy } from '../golang/version-policy';
import type { PlanContext } from '../plan/types';
import { expandTargets } from '../recipe/expand-targets';
import { loadRecipes } from '../recipe/load-recipes';
import { formatProblem, type RecipeProblem } from '../recipe/recipe-errors';
import type { GoSourceKind, Target } from '../recipe/types';

/** Where a run takes its recipes, Go and state from (the CLI's global options). */
export interface SessionOptions {
  recipes: string;
  goSource?: GoSourceKind[];
  goMirror?: string;
  trustKey: string[];
  cacheDir?: string;
  stateDir?: string;
  /** Refuse what is otherwise a recipe warning (`bake recipe check --strict`). */
  strict?: boolean;
}

/** What a command works with, built once: the recipes' targets, the version policy, the directories. */
export interface Session extends PlanContext {
  logger: Logger;
  stateDir: string;
  targets: Target[];
  /** Recipe warnings, each already logged once. */
  recipeWarnings: RecipeProblem[];
}

export async function openSession(options: SessionOptions, logger: Logger): Promise<Session> {
  const { recipes, warnings } = await loadRecipes(options.recipes, { strict: options.strict });
  for (const w of warnings) logger.warn(formatProblem(w));
  return {
    logger,
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    stateDir: options.stateDir ?? defaultStateDir(),
    recipesDir: options.recipes,
    targets: expandTargets(recipes),
    recipeWarnings: warnings,
    policy: await loadVersionPolicy(options.recipes),
    now: new Date(),
    goSource: options.goSource,
    goMirror: options.goMirror,
    trustKeys: options.trustKey,
    env: process.env,
  };
}
