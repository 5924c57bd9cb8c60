import type { Command } from 'commander';
import { commandSession } from './command-session';
import { printJson } from './output';

export function recipeCommand(program: Command): Command {
  const recipe = program.command('recipe').description('recipes: validation and editor support');
  recipe
    .command('check')
    .description(
      'validate every recipe, the Go version policy and each Go range against it ' +
        '(all problems at once; no network, no engine)',
    )
    .option(
      '--strict',
      'refuse what is otherwise a warning: permanent checks.skip entries, imported tests bake cannot run',
      false,
    )
    .action(async (_options: unknown, command: Command) => {
      const { checkRecipeTargets } = await import('../plan/recipe-gate');
      const session = await commandSession(command);
      checkRecipeTargets(session.targets, session.policy, session.now);
      const warned = session.recipeWarnings.length;
      session.logger.info(
        `${session.targets.length} targets in ${session.recipesDir}: all recipes valid` +
          (warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''),
      );
    });
  recipe
    .command('schema')
    .description('print the JSON Schema of a recipe file (for editor completion)')
    .action(async () => printJson((await import('../recipe/recipe-json-schema')).recipeJsonSchema()));
  return recipe;
}
