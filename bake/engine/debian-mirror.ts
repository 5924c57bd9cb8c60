import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { redact } from '../common/redact';
import { urlCredential } from '../common/url-credentials';

export interface DebianMirror {
  /** The Debian archive (`.../debian`). */
  archive: string;
  /** The security archive, when the host uses one. */
  security?: string;
}

interface SourceEntry {
  uris: string[];
  suites: string[];
}

/** Suites whose archive line points at Debian itself (not a derivative or a third-party repo). */
const DEBIAN_SUITE = /^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldoldstable|oldstable|stable|testing|unstable)(-updates|-backports)?$/;
const SECURITY_SUITE = /^[a-z]+-security$/;

/**
 * The Debian mirror this machine's apt uses, read at run time from /etc/apt (or
 * BAKE_DEBIAN_MIRROR, BAKE_DEBIAN_SECURITY_MIRROR), so no mirror host is written into the project.
 */
export async function findDebianMirror(env: NodeJS.ProcessEnv, etcApt = '/etc/apt'): Promise<DebianMirror> {
  const override = env.BAKE_DEBIAN_MIRROR?.trim();
  const entries = await readSources(etcApt);
  const security = env.BAKE_DEBIAN_SECURITY_MIRROR?.trim() || pickUri(entries, (s) => SECURITY_SUITE.test(s));
  const archive = override || pickUri(entries, (s) => DEBIAN_SUITE.test(s));
  if (!archive) {
    throw new BakeError(`no Debian archive in ${etcApt}/sources.list or ${etcApt}/sources.list.d/; set BAKE_DEBIAN_MIRROR to a Debian mirror URL`, ExitCode.Unavailable);
  }
  for (const uri of [archive, security]) {
    // A URI with credentials would be copied into the image's sources.list.
    if (uri && urlCredential(uri)) {
      throw new BakeError(`the apt source ${redact(uri)} carries credentials; set BAKE_DEBIAN_MIRROR to a mirror URL without them`, ExitCode.Unavailable);
    }
  }
  return { archive: archive.replace(/\/+$/, ''), security: security?.replace(/\/+$/, '') };
}

/**
 * The apt lines of a bootstrap: the suite, plus its updates and security suites for
 * releases that have them (the host's security mirror, when it has one).
 */
export function bootstrapSourceLines(mirror: DebianMirror, suite: string): string[] {
  const lines = [`deb ${mirror.archive} ${suite} main`];
  if (!/^(sid|unstable|testing|experimental)$/.test(suite)) {
    lines.push(`deb ${mirror.archive} ${suite}-updates main`);
    if (mirror.security) lines.push(`deb ${mirror.security} ${suite}-security main`);
  }
  return lines;
}

function pickUri(entries: SourceEntry[], suiteMatches: (suite: string) => boolean): string | undefined {
  for (const entry of entries) {
    if (!entry.suites.some(suiteMatches)) continue;
    const uri = entry.uris.find((u) => /^(https?|ftp|file|mirror(\+[a-z]+)?):/.test(u));
    if (uri) return uri;
  }
  return undefined;
}

async function readSources(etcApt: string): Promise<SourceEntry[]> {
  const entries = parseOneLine(await fs.readFile(join(etcApt, 'sources.list'), 'utf8').catch(() => ''));
  const dir = join(etcApt, 'sources.list.d');
  for (const name of (await fs.readdir(dir).catch(() => [] as string[])).sort()) {
    const text = await fs.readFile(join(dir, name), 'utf8').catch(() => '');
    if (name.endsWith('.sources')) entries.push(...parseDeb822(text));
    else if (name.endsWith('.list')) entries.push(...parseOneLine(text));
  }
  return entries;
}

/** `deb [options] URI SUITE COMPONENT...` lines. */
export function parseOneLine(text: string): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const raw of text.split('\n')) {
    const [type, uri, suite] = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim().split(/\s+/);
    if (type === 'deb' && uri && suite) entries.push({ uris: [uri], suites: [suite] });
  }
  return entries;
}

/** deb822 stanzas (`Types: deb`, `URIs:`, `Suites:`), skipping `Enabled: no`. */
export function parseDeb822(text: string): SourceEntry[] {
  const entries: SourceEntry[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      fields.set(last, line.slice(colon + 1).trim());
    }
    const list = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    if (!list('types').includes('deb') || (fields.get('enabled') ?? 'yes').toLowerCase() === 'no') continue;
    entries.push({ uris: list('uris'), suites: list('suites') });
  }
  return entries;
}
