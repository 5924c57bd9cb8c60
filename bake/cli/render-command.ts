import { join } from 'node:path';
import type { Command } from 'commander';
import { writeContext } from '../render/write-context';
import type { GlobalOptions } from './global-options';
import { planTarget } from '../render/plan-target';
import { openSession, pickTargets } from './session';

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
      const session = await openSession(command.optsWithGlobals<GlobalOptions>());
      const targets = pickTargets(session, names);
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
