import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { SourceUnavailableError } from './source-unavailable-error';
import { deb822Field, deb822List, parseDeb822 } from './apt-deb822';

/**
 * Suite names that identify the Debian archive itself (as opposed to security updates,
 * third-party repositories or derivatives) in the machine's apt sources.
 */
const DEBIAN_SUITES = new Set([
  'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'duke', 'sid',
  'oldoldstable', 'oldstable', 'stable', 'testing', 'unstable',
]);

/** One apt source entry, whichever format it was written in. */
export interface AptSourceEntry {
  uris: string[];
  suites: string[];
  components: string[];
}

/** Entries of a deb822 `.sources` file: binary (`deb`) stanzas that are not disabled. */
export function entriesFromDeb822(text: string): AptSourceEntry[] {
  return parseDeb822(text)
    .filter((p) => deb822List(p, 'Types').includes('deb'))
    .filter((p) => (deb822Field(p, 'Enabled') ?? 'yes').toLowerCase() !== 'no')
    .map((p) => ({ uris: deb822List(p, 'URIs'), suites: deb822List(p, 'Suites'), components: deb822List(p, 'Components') }));
}

/** Entries of a one-line-style `sources.list`: `deb [options] URI SUITE COMPONENT...`. */
export function entriesFromOneLine(text: string): AptSourceEntry[] {
  const entries: AptSourceEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type !== 'deb' || !uri || !suite) continue;
    entries.push({ uris: [uri], suites: [suite], components });
  }
  return entries;
}

/**
 * The Debian archive among apt source entries: the first entry carrying a plain Debian
 * suite (not `-security`, not a derivative) with the `main` component, over a network or
 * file transport apt can fetch other suites from.
 */
export function debianArchiveUri(entries: AptSourceEntry[]): string | undefined {
  for (const entry of entries) {
    if (!entry.components.includes('main')) continue;
    if (!entry.suites.some((s) => DEBIAN_SUITES.has(s))) continue;
    const uri = entry.uris.find((u) => /^(https?|file|ftp|mirror(\+[a-z]+)?):/.test(u));
    if (uri) return uri.replace(/\/+$/, '');
  }
  return undefined;
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
  const entries: AptSourceEntry[] = [];
  // apt's own reading order: sources.list, then sources.list.d in lexical order.
  const main = await fs.readFile(join(etcApt, 'sources.list'), 'utf8').catch(() => '');
  entries.push(...entriesFromOneLine(main));
  const partsDir = join(etcApt, 'sources.list.d');
  const parts = (await fs.readdir(partsDir).catch(() => [] as string[])).sort();
  for (const name of parts) {
    if (name.endsWith('.sources')) entries.push(...entriesFromDeb822(await fs.readFile(join(partsDir, name), 'utf8')));
    else if (name.endsWith('.list')) entries.push(...entriesFromOneLine(await fs.readFile(join(partsDir, name), 'utf8')));
  }
  const uri = debianArchiveUri(entries);
  if (!uri) {
    throw new SourceUnavailableError(
      `no Debian archive found in ${etcApt}/sources.list or ${partsDir}/*.sources; set BAKE_DEBIAN_MIRROR to a Debian mirror URL`,
    );
  }
  return uri;
}
