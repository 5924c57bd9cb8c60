import { createLogger, type Logger } from '../common/log';
import { defaultCacheDir, defaultStateDir } from '../common/paths';
import { loadVersionPolicy } from '../golang/version-policy';
import type { PlanContext } from '../plan/types';
import { expandTargets, selectTargets } from '../recipe/expand-targets';
import { loadRecipes } from '../recipe/load-recipes';
import type { Target } from '../recipe/types';
import type { GlobalOptions } from './global-options';

/** What a command works with, built once from the global options. */
export interface Session extends PlanContext {
  options: GlobalOptions;
  logger: Logger;
  stateDir: string;
  targets: Target[];
}

export async function openSession(options: GlobalOptions, logger: Logger = createLogger({ debug: options.debug, quiet: options.quiet })): Promise<Session> {
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
    goSource: options.goSource,
    goMirror: options.goMirror,
    trustKeys: options.trustKey,
    env: process.env,
  };
}

export function pickTargets(session: Session, names: string[]): Target[] {
  return selectTargets(session.targets, names);
}
