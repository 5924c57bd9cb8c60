import type { Command } from 'commander';
import { errorMessage } from '../common/errors';
import { commandSession } from './command-session';
import { printJson, printTable } from './output';

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
      const [{ rangeVerdict }, { resolveTargetGo }] = await Promise.all([
        import('../golang/range-verdict'),
        import('../plan/resolve-target'),
      ]);
      const session = await commandSession(command);
      const rows = [];
      for (const target of session.targets) {
        const row = {
          target: target.name,
          family: target.family,
          arch: target.arch,
          kinds: target.kinds,
          goVersions: target.go.versions,
          goSources: target.go.sources,
          policy: rangeVerdict(session.policy, target.go.versions, session.now),
          bootstrappable: !!target.base.bootstrap,
          resolved: undefined as undefined | { version: string; source: string } | { error: string },
        };
        if (options.resolve) {
          row.resolved = await resolveTargetGo(session, target, false).then(
            ({ dist }) => ({ version: dist.version, source: dist.source }),
            (err: unknown) => ({ error: errorMessage(err) }),
          );
        }
        rows.push(row);
      }
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
    });
}
