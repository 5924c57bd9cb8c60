import { join } from 'node:path';
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
      const [{ planTarget }, { writeContext }] = await Promise.all([
        import('../render/plan-target'),
        import('../render/write-context'),
      ]);
      const session = await commandSession(command);
      const targets = selectTargets(session.targets, names);
      for (const target of targets) {
        const { dist, contexts } = await planTarget(session, target, { dockerfileSyntax: options.dockerfileSyntax });
        const base = targets.length === 1 ? options.out : join(options.out, target.name);
        for (const context of contexts) {
          const dir = join(base, context.kind);
          await writeContext(dir, context, dist.path);
          session.logger.info(`${target.name}: ${context.kind} context written to ${dir}`);
        }
      }
    });
}
