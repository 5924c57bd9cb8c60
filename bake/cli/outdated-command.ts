import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { selectTargets } from '../recipe/expand-targets';
import { commandSession } from './command-session';
import { printJson, printOut, printTable } from './output';
import { printWaivers } from './waiver-lines';

export function outdatedCommand(program: Command): Command {
  return program
    .command('outdated')
    .description(
      "list vetted images whose inputs are behind today's (Go patch, base, packages, recipe); exits 9 when any is",
    )
    .argument('[targets...]', 'only these targets or recipes (default: all)')
    .option(
      '--registry <registry/prefix>',
      'the catalog in this registry; default: this machine (STATE/catalog)',
      urlOption('--registry', { bareHost: true }),
    )
    .option('--json', 'machine-readable output', false)
    .action(async (names: string[], options: { registry?: string; json: boolean }, command: Command) => {
      const [{ findOutdated }, { localCatalog, openRegistry }] = await Promise.all([
        import('../nightly/outdated'),
        import('../registry/open-registry'),
      ]);
      const session = await commandSession(command);
      const catalog = options.registry
        ? (await openRegistry(options.registry)).catalog
        : localCatalog(session.stateDir);
      const targets = names.length ? selectTargets(session.targets, names) : session.targets;
      const report = await findOutdated({ ctx: session, targets, catalog });
      if (options.json) printJson(report);
      else if (report.behind.length)
        printTable(
          ['TARGET', 'KIND', 'VETTED IMAGE', 'WHAT CHANGED'],
          report.behind.map((b) => [b.target, b.kind, b.image, b.changes.join('; ')]),
        );
      else {
        const neverVetted = report.notVetted.length ? `, ${report.notVetted.length} never vetted` : '';
        printOut(`nothing behind: ${report.current.length} vetted images have today's inputs${neverVetted}\n`);
      }
      if (!options.json) printWaivers(report.waivers);
      for (const f of report.failed) session.logger.warn(`${f.target}: not checked: ${f.message}`);
      if (report.behind.length)
        throw new BakeError(
          `${report.behind.length} vetted image(s) behind today's inputs`,
          ExitCode.Outdated,
          'run bake nightly (or bake build TARGET --push) to rebuild them',
        );
    });
}
