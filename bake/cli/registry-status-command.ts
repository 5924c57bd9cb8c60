import type { Command } from 'commander';
import type { CatalogStatus } from '../registry/catalog-status';
import type { CatalogStore } from '../registry/types';
import type { Session } from '../pipeline/session';
import type { GlobalOptions } from './global-options';
import { commandSession } from './command-session';
import { printErr, printJson, printOut, printTable } from './output';
import { openCatalog, REGISTRY, REGISTRY_HELP, type Where } from './registry-options';

interface StatusOptions extends Where {
  outdated: boolean;
  json: boolean;
}

const OUTDATED_HELP = "also plan every target and mark images whose inputs are behind today's (as bake outdated does)";

/** `bake registry status` and `bake registry site`: what is vetted, per target and Go line, for people. */
export function registryStatusCommands(registry: Command): void {
  registry
    .command('status')
    .description(
      'per target, kind and Go line: the newest vetted image, its age, whether it is revoked (or outdated), ' +
        'its signature',
    )
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .option('--outdated', OUTDATED_HELP, false)
    .option('--json', 'machine-readable output', false)
    .action(async (options: StatusOptions, cmd: Command) => {
      const { status } = await statusOf(options, cmd);
      if (options.json) return printJson(status);
      if (!status.rows.length) return printErr(`nothing vetted in ${status.location}\n`);
      printTable(
        ['TARGET', 'KIND', 'GO', 'STATE', 'NEWEST VETTED', 'AGE', 'READINESS', 'SIGNATURE'],
        status.rows.flatMap((row) => [
          [
            row.target,
            row.kind,
            row.goLine,
            row.state,
            row.current?.ref ?? '-',
            row.current ? `${row.current.ageDays}d` : '-',
            row.current?.readiness ?? '-',
            row.signature,
          ],
          ...row.revoked.map((r) => ['', '', '', 'revoked', r.ref, '', r.revocation.reason, '']),
        ]),
      );
    });

  registry
    .command('site')
    .description(
      'write the catalog as one static HTML page (no script, no external asset): the status table, ' +
        "each image's FROM line and readiness report; plus status.json",
    )
    .requiredOption('--out <dir>', 'where index.html and status.json go')
    .option('--registry <registry/prefix>', REGISTRY_HELP, REGISTRY)
    .option('--outdated', OUTDATED_HELP, false)
    .action(async (options: StatusOptions & { out: string }, cmd: Command) => {
      const { writeStatusSite } = await import('../registry/status-files');
      const { status, reports } = await statusOf(options, cmd);
      const files = await writeStatusSite(options.out, status, reports);
      printOut(`${files.html}\n${files.json}\n`);
    });
}

async function statusOf(options: StatusOptions, cmd: Command) {
  const [{ loadStatus }, { withOutdated }] = await Promise.all([
    import('../registry/status-files'),
    import('../registry/catalog-status'),
  ]);
  const { catalog } = await openCatalog(options, cmd.optsWithGlobals<GlobalOptions>());
  const loaded = await loadStatus(catalog, new Date());
  if (!options.outdated) return loaded;
  const session = await commandSession(cmd);
  return { ...loaded, status: withOutdated(loaded.status, await behind(session, catalog, loaded.status)) };
}

async function behind(session: Session, catalog: CatalogStore, status: CatalogStatus): Promise<{ image: string }[]> {
  const { findOutdated } = await import('../nightly/outdated');
  const vetted = new Set(status.rows.map((r) => r.target));
  const report = await findOutdated({
    ctx: session,
    targets: session.targets.filter((t) => vetted.has(t.name)),
    catalog,
  });
  for (const f of report.failed) session.logger.warn(`${f.target}: not checked for freshness: ${f.message}`);
  return report.behind;
}
