import { deb822Field, parseDeb822 } from '../golang/debian/apt-deb822';
import type { OsPackage } from './types';

/** Where dpkg keeps what is installed: one status file, or one file per package (distroless). */
export const DPKG_STATUS = '/var/lib/dpkg/status';
export const DPKG_STATUS_DIR = '/var/lib/dpkg/status.d/';

export function isDpkgDatabase(path: string): boolean {
  if (path === DPKG_STATUS) return true;
  if (!path.startsWith(DPKG_STATUS_DIR)) return false;
  const name = path.slice(DPKG_STATUS_DIR.length);
  // distroless keeps `<package>.md5sums` beside each stanza: file lists, not packages.
  return name !== '' && !name.includes('/') && !name.endsWith('.md5sums');
}

/**
 * The installed packages of one dpkg database file: stanzas whose Status ends in `installed`
 * (a status.d file, which may have no Status field, lists installed packages only).
 */
export function parseDpkgDatabase(text: string, database: string): Omit<OsPackage, 'licenses'>[] {
  const out: Omit<OsPackage, 'licenses'>[] = [];
  for (const stanza of parseDeb822(text)) {
    const name = deb822Field(stanza, 'Package');
    const version = deb822Field(stanza, 'Version');
    const status = deb822Field(stanza, 'Status');
    if (!name || !version) continue;
    // `install ok installed`, `hold ok installed`: the third word is the state that counts.
    if (status !== undefined && status.trim().split(/\s+/)[2] !== 'installed') continue;
    const source = deb822Field(stanza, 'Source')?.split(/\s+/)[0];
    out.push({
      manager: 'dpkg',
      name,
      version,
      arch: deb822Field(stanza, 'Architecture') ?? 'all',
      ...(source && source !== name ? { source } : {}),
      database,
    });
  }
  return out;
}

/** `/usr/share/doc/<package>/copyright`: where Debian policy puts each package's license terms. */
export function copyrightPackage(path: string): string | undefined {
  const m = /^\/usr\/share\/doc\/([^/]+)\/copyright$/.exec(path);
  return m?.[1];
}

/** `/usr/share/doc/<package>` as a symlink to another package's directory (a shared copyright). */
export function docDirPackage(path: string): string | undefined {
  const m = /^\/usr\/share\/doc\/([^/]+)$/.exec(path);
  return m?.[1];
}

/**
 * The license short names of a machine-readable (DEP-5) copyright file: the first line of every
 * `License:` field, deduplicated, in the order found. A free-form file (no `Format:` header)
 * states no license in a form a machine can read: none is claimed.
 */
export function dep5Licenses(text: string): string[] {
  const paragraphs = parseDeb822(text);
  if (!paragraphs[0] || deb822Field(paragraphs[0], 'Format') === undefined) return [];
  const names = new Set<string>();
  for (const paragraph of paragraphs) {
    // Files paragraphs name the licenses that apply; standalone License paragraphs repeat them with the text.
    const license = deb822Field(paragraph, 'License')?.split('\n')[0].trim();
    if (license) names.add(license);
  }
  return [...names];
}
