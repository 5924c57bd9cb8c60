import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import type { GoSourceKind } from '../recipe/types';
import { GO_SOURCES } from '../recipe/vocabulary';

/** Options every command takes (declared once on the program, read with optsWithGlobals). */
export interface GlobalOptions {
  recipes: string;
  goSource?: GoSourceKind[];
  goMirror?: string;
  trustKey: string[];
  cacheDir?: string;
  stateDir?: string;
  debug: boolean;
  quiet: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--recipes <dir>', 'directory of recipe files', 'recipes')
    .option(
      '--go-source <list>',
      `Go sources to try, in order (comma-separated: ${GO_SOURCES.join(', ')}); overrides the recipe`,
      parseGoSources,
    )
    .option(
      '--go-mirror <dir|url>',
      'offline Go mirror (index.json, archives, SHA256SUMS, SHA256SUMS.asc); env BAKE_GO_MIRROR',
      urlOption('--go-mirror'),
    )
    .option(
      '--trust-key <file>',
      'extra trusted OpenPGP public key (ASCII-armored) for mirrors; repeatable; env BAKE_TRUST_KEYS',
      collect,
      [],
    )
    .option('--cache-dir <dir>', 'download cache (default $BAKE_CACHE_DIR or ~/.cache/bake)')
    .option('--state-dir <dir>', 'state: catalog, embedded engine (default $BAKE_STATE_DIR or ~/.local/state/bake)')
    .option('--debug', 'print stack traces and debug logs', false)
    .option('-q, --quiet', 'only warnings and errors on stderr', false);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseGoSources(value: string): GoSourceKind[] {
  const kinds = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const kind of kinds) {
    if (!(GO_SOURCES as readonly string[]).includes(kind)) {
      throw new BakeError(`--go-source: unknown source "${kind}" (expected ${GO_SOURCES.join(', ')})`, ExitCode.Usage);
    }
  }
  if (kinds.length === 0) throw new BakeError('--go-source: list at least one source', ExitCode.Usage);
  return kinds as GoSourceKind[];
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
