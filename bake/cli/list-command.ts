import type { Command } from 'commander';
import { commandSession } from './command-session';
import { printJson, printTable } from './output';
import { printWaivers } from './waiver-lines';

interface ListOptions {
  json: boolean;
  resolve: boolean;
}

export function listCommand(program: Command): Command {
  return program
    .command('list')
    .description('list every target with its Go range and policy verdict (no network unless --resolve)')
    .option('--json', 'machine-readable output', false)
    .option('--resolve', 'resolve each range to an exact Go version from the configured sources', false)
    .action(async (options: ListOptions, command: Command) => {
      const { listTargets } = await import('../pipeline/list-targets');
      const rows = await listTargets(await commandSession(command), options.resolve);
      if (options.json) return printJson(rows);
      printTable(
        ['TARGET', 'GO', 'POLICY', ...(options.resolve ? ['RESOLVED'] : []), 'BASE'],
        rows.map((r) => [
          r.target,
          r.goVersions,
          r.policy.status === 'refused' ? `refused: ${r.policy.messages.join('; ')}` : r.policy.status,
          ...(options.resolve
            ? [
                r.resolved && 'version' in r.resolved
                  ? `${r.resolved.version} (${r.resolved.source})`
                  : `unresolved: ${(r.resolved as { error: string }).error}`,
              ]
            : []),
          r.bootstrappable ? 'registry or bootstrap' : 'registry',
        ]),
      );
      printWaivers(rows);
    });
}
