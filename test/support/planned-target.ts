import type { Logger } from '../../bake/common/log';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import { planTarget } from '../../bake/render/plan-target';
import type { PlannedTarget } from '../../bake/render/types';
import { testBakeCacheDir } from './test-dirs';

/** A shipped target planned as `bake build NAME --go-source debian` plans it, on the tests' download cache. */
export async function planShippedTarget(name: string, logger: Logger): Promise<PlannedTarget> {
  const target = expandTargets((await loadRecipes('recipes')).recipes).find((t) => t.name === name);
  if (!target) throw new Error(`no shipped target ${name}`);
  return planTarget(
    {
      recipesDir: 'recipes',
      cacheDir: testBakeCacheDir(),
      policy: await loadVersionPolicy('recipes'),
      now: new Date(),
      logger,
      goSource: ['debian'],
      trustKeys: [],
      env: process.env,
    },
    target,
  );
}
