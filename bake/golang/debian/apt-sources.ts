import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { deb822Field, deb822List, parseDeb822 } from './apt-deb822';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { AptSourceEntry } from '../types';

/**
 * Debian's release names and aliases: a source with one of them is the Debian archive
 * itself, not a derivative or a third-party repository. Every stage that looks for Debian
 * among the machine's sources asks this list, so a new release is added once.
 */
export const DEBIAN_SUITES: readonly string[] = [
  'buster',
  'bullseye',
  'bookworm',
  'trixie',
  'forky',
  'duke',
  'sid',
  'oldoldstable',
  'oldstable',
  'stable',
  'testing',
  'unstable',
];

/**
 * A release of the Debian archive; with `pockets`, its -updates and -backports suites
 * count too (a host may list those on a line of their own).
 */
export function isDebianSuite(suite: string, options: { pockets?: boolean } = {}): boolean {
  const release = options.pockets ? suite.replace(/-(updates|backports)$/, '') : suite;
  return DEBIAN_SUITES.includes(release);
}

export function isSecuritySuite(suite: string): boolean {
  return /^[a-z]+-security$/.test(suite);
}

/** Suites that get updates and security fixes (not sid or testing, which have neither). */
export function hasUpdateSuites(suite: string): boolean {
  return !/^(sid|unstable|testing|experimental)$/.test(suite);
}

/** Entries of a deb822 `.sources` file: binary (`deb`) stanzas that are not disabled. */
export function entriesFromDeb822(text: string): AptSourceEntry[] {
  return parseDeb822(text)
    .filter((p) => deb822List(p, 'Types').includes('deb'))
    .filter((p) => (deb822Field(p, 'Enabled') ?? 'yes').toLowerCase() !== 'no')
    .map((p) => ({
      uris: deb822List(p, 'URIs'),
      suites: deb822List(p, 'Suites'),
      components: deb822List(p, 'Components'),
    }));
}

/** Entries of a one-line-style `sources.list`: `deb [options] URI SUITE COMPONENT...`. */
export function entriesFromOneLine(text: string): AptSourceEntry[] {
  const entries: AptSourceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, ' ')
      .trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type !== 'deb' || !uri || !suite) continue;
    entries.push({ uris: [uri], suites: [suite], components });
  }
  return entries;
}

/**
 * The entries of the machine's apt, in apt's own reading order: sources.list, then
 * sources.list.d in lexical order. A file that cannot be read is passed over: the caller
 * says what it looked for and how to name it instead.
 */
export async function readAptSources(etcApt = '/etc/apt'): Promise<AptSourceEntry[]> {
  const entries = entriesFromOneLine(await fs.readFile(join(etcApt, 'sources.list'), 'utf8').catch(() => ''));
  const dir = join(etcApt, 'sources.list.d');
  for (const name of (await fs.readdir(dir).catch(() => [] as string[])).sort()) {
    if (!name.endsWith('.sources') && !name.endsWith('.list')) continue;
    const text = await fs.readFile(join(dir, name), 'utf8').catch(() => '');
    entries.push(...(name.endsWith('.sources') ? entriesFromDeb822(text) : entriesFromOneLine(text)));
  }
  return entries;
}

/** The first URI of the first matching entry over a transport apt can fetch other suites from. */
export function firstFetchableUri(
  entries: AptSourceEntry[],
  matches: (entry: AptSourceEntry) => boolean,
): string | undefined {
  for (const entry of entries) {
    if (!matches(entry)) continue;
    const uri = entry.uris.find((u) => /^(https?|file|ftp|mirror(\+[a-z]+)?):/.test(u));
    if (uri) return uri;
  }
  return undefined;
}

/**
 * The Debian archive among apt source entries: the first entry carrying a plain Debian
 * suite (not `-security`, not a derivative) with the `main` component.
 */
export function debianArchiveUri(entries: AptSourceEntry[]): string | undefined {
  return firstFetchableUri(
    entries,
    (e) => e.components.includes('main') && e.suites.some((s) => isDebianSuite(s)),
  )?.replace(/\/+$/, '');
}

/** The security archive among apt source entries, as written. */
export function debianSecurityUri(entries: AptSourceEntry[]): string | undefined {
  return firstFetchableUri(entries, (e) => e.suites.some(isSecuritySuite));
}

export interface FindArchiveOptions {
  env: NodeJS.ProcessEnv;
  /** apt's configuration directory; a parameter so tests can point at a sample. */
  etcApt?: string;
}

/**
 * The Debian archive URI this machine's apt uses (BAKE_DEBIAN_MIRROR overrides), read at
 * run time so no mirror host is ever written into the project.
 */
export async function findDebianArchiveUri(options: FindArchiveOptions): Promise<string> {
  const override = options.env.BAKE_DEBIAN_MIRROR?.trim();
  if (override) return override.replace(/\/+$/, '');
  const etcApt = options.etcApt ?? '/etc/apt';
  const uri = debianArchiveUri(await readAptSources(etcApt));
  if (!uri) {
    throw new SourceUnavailableError(
      `no Debian archive found in ${etcApt}/sources.list or ${join(etcApt, 'sources.list.d')}/*.sources; ` +
        'set BAKE_DEBIAN_MIRROR to a Debian mirror URL',
    );
  }
  return uri;
}
