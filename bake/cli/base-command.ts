import type { Command } from 'commander';
import type { GlobalOptions } from './global-options';
import { printJson, printOut } from './output';
import { commandLogger } from './progress-output';

export function baseCommand(program: Command): Command {
  const base = program
    .command('base')
    .description('base images: the tags recipes name and the digests locked for them');
  base
    .command('update')
    .description(
      'resolve the base tags of the recipes (default: all) to their digests now ' +
        'and rewrite recipes/bases.lock.yaml; prints what changed',
    )
    .argument('[recipes...]', 'only the bases of these recipes')
    .option('--json', 'print every base with its old and new digest as JSON', false)
    .action(async (names: string[], options: { json: boolean }, command: Command) => {
      const { updateBaseLock } = await import('../pipeline/update-base-lock');
      const globals = command.optsWithGlobals<GlobalOptions>();
      const update = await updateBaseLock({
        recipesDir: globals.recipes,
        recipes: names,
        env: process.env,
        logger: commandLogger(globals),
        now: new Date(),
      });
      if (options.json) return printJson(update);
      const changed = update.bases.filter((b) => b.from !== b.to);
      for (const b of update.bases) {
        printOut(`${b.ref}  ${b.from === b.to ? `unchanged ${b.to}` : `${b.from ?? '(new)'} -> ${b.to}`}\n`);
      }
      const plural = update.bases.length === 1 ? '' : 's';
      const wrote = update.written ? `; wrote ${update.file}` : '';
      printOut(`${changed.length} of ${update.bases.length} base${plural} changed${wrote}\n`);
    });
  return base;
}
