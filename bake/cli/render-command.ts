import type { Command } from 'commander';
import { selectTargets } from '../recipe/expand-targets';
import { commandSession } from './command-session';

interface RenderOptions {
  out: string;
  dockerfileSyntax?: string;
}

export function renderCommand(program: Command): Command {
  return program
    .command('render')
    .description('write the build context of each image kind of a target (deterministic, byte for byte)')
    .argument('<targets...>', 'target names or recipe names')
    .requiredOption('--out <dir>', 'output directory (DIR/<target>/<kind>/ when several targets, else DIR/<kind>/)')
    .option('--dockerfile-syntax <ref>', 'add a "# syntax=REF" line (needs a registry that serves the frontend image)')
    .action(async (names: string[], options: RenderOptions, command: Command) => {
      const { renderTargets } = await import('../pipeline/render-run');
      const session = await commandSession(command);
      await renderTargets(session, selectTargets(session.targets, names), options);
    });
}
