import type { Command } from 'commander';
import { checkRecipeTargets } from '../plan/recipe-gate';
import { recipeJsonSchema } from '../recipe/recipe-json-schema';
import type { GlobalOptions } from './global-options';
import { printJson } from './output';
import { openSession } from './session';

export function recipeCommand(program: Command): Command {
  const recipe = program.command('recipe').description('recipes: validation and editor support');
  recipe
    .command('check')
    .description('validate every recipe, the Go version policy and each Go range against it (all problems at once; no network, no engine)')
    .action(async (_options: unknown, command: Command) => {
      const session = await openSession(command.optsWithGlobals<GlobalOptions>());
      checkRecipeTargets(session.targets, session.policy, session.now);
      session.logger.info(`${session.targets.length} targets in ${session.recipesDir}: all recipes valid`);
    });
  recipe
    .command('schema')
    .description('print the JSON Schema of a recipe file (for editor completion)')
    .action(() => printJson(recipeJsonSchema()));
  return recipe;
}
