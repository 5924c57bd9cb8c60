import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { entriesFromDeb822, entriesFromOneLine, findDebianArchiveUri, type AptSourceEntry } from '../golang/apt-archive-uri';
import { DEBIAN_ARCHIVE_KEYRING } from '../golang/apt-go-suites';

/** Where a target's OS packages come from: the Debian archive, its security archive, the keys trusted for them. */
export interface OsArchive {
  archive: string;
  security?: string;
  /** Keyrings apt checks each InRelease against: Debian's, plus BAKE_DEBIAN_KEYRING (a site's or a test's archive). */
  keyrings: string[];
}

/**
 * The archives of the machine's apt (no mirror host is written into the project), each
 * overridable: BAKE_DEBIAN_MIRROR, BAKE_DEBIAN_SECURITY_MIRROR; BAKE_DEBIAN_KEYRING adds
 * keyrings (colon-separated) for archives signed by another key. Signatures are always checked.
 */
export async function findOsArchive(env: NodeJS.ProcessEnv, etcApt = '/etc/apt'): Promise<OsArchive> {
  const archive = await findDebianArchiveUri({ env, etcApt });
  const security = env.BAKE_DEBIAN_SECURITY_MIRROR?.trim() || securityUri(await readEntries(etcApt));
  const extra = (env.BAKE_DEBIAN_KEYRING ?? '').split(':').map((k) => k.trim()).filter(Boolean);
  return { archive, ...(security ? { security: security.replace(/\/+$/, '') } : {}), keyrings: [DEBIAN_ARCHIVE_KEYRING, ...extra] };
}

/** Suites that get updates and security fixes (not sid or testing, which have neither). */
export function hasUpdateSuites(suite: string): boolean {
  return !/^(sid|unstable|testing|experimental)$/.test(suite);
}

/** The private deb822 sources of one suite with its -updates and -security suites. */
export function renderOsSourcesFile(archive: OsArchive, suite: string): string {
  const signedBy = `Signed-By: ${archive.keyrings.join(',')}`;
  const updates = hasUpdateSuites(suite);
  const stanzas = [['Types: deb', `URIs: ${archive.archive}`, `Suites: ${updates ? `${suite} ${suite}-updates` : suite}`, 'Components: main', signedBy]];
  if (updates && archive.security) stanzas.push(['Types: deb', `URIs: ${archive.security}`, `Suites: ${suite}-security`, 'Components: main', signedBy]);
  return ['# Written by bake: the archive a target\'s OS packages are resolved from (private to bake).', ...stanzas.map((s) => `${s.join('\n')}\n`)].join('\n');
}

function securityUri(entries: AptSourceEntry[]): string | undefined {
  for (const entry of entries) {
    if (!entry.suites.some((s) => /^[a-z]+-security$/.test(s))) continue;
    const uri = entry.uris.find((u) => /^(https?|file|ftp|mirror(\+[a-z]+)?):/.test(u));
    if (uri) return uri;
  }
  return undefined;
}

async function readEntries(etcApt: string): Promise<AptSourceEntry[]> {
  const entries = entriesFromOneLine(await fs.readFile(join(etcApt, 'sources.list'), 'utf8').catch(() => ''));
  const dir = join(etcApt, 'sources.list.d');
  for (const name of (await fs.readdir(dir).catch(() => [] as string[])).sort()) {
    const text = await fs.readFile(join(dir, name), 'utf8').catch(() => '');
    if (name.endsWith('.sources')) entries.push(...entriesFromDeb822(text));
    else if (name.endsWith('.list')) entries.push(...entriesFromOneLine(text));
  }
  return entries;
}
