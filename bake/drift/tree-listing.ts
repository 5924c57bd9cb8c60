import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { sha256Hex } from '../common/sha256';
import type { TreeListing } from './types';

/** One entry of a tree as its listings show it; `path` is relative to the tree's root ('' for the root). */
export interface TreeEntry {
  path: string;
  /** find(1)'s %y letters: f, d, l, c, b, p. */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  link?: string;
  sha256?: string;
}

const TYPE: Record<string, string> = {
  file: 'f',
  'contiguous-file': 'f',
  directory: 'd',
  symlink: 'l',
  'character-device': 'c',
  'block-device': 'b',
  fifo: 'p',
};

/**
 * The entries of a tar stream of one tree (as the engine's archive API or `tar -C / -cf -`
 * writes it), every regular file hashed as it streams past. `prefix` is the tree's own name in
 * the archive (`go` for /usr/local/go; '' when the archive is of `/`); `exclude` drops paths
 * (and what is below them) that change on their own, like /proc in a container.
 */
export async function readTree(
  stream: Readable,
  options: { prefix: string; exclude?: (path: string) => boolean },
): Promise<TreeEntry[]> {
  const extract = tar.extract();
  stream.on('error', (err) => extract.destroy(err));
  stream.pipe(extract);
  const entries: TreeEntry[] = [];
  const hashes = new Map<string, string>();
  for await (const entry of extract) {
    const h = entry.header;
    const path = relativePath(h.name, options.prefix);
    if (path === undefined || options.exclude?.(path)) {
      entry.resume();
      continue;
    }
    const base = { path, mode: (h.mode ?? 0) & 0o7777, uid: h.uid ?? 0, gid: h.gid ?? 0 };
    if (h.type === 'link') {
      // A hard link is the same regular file again: find(1) lists it as one, with the same content.
      const target = relativePath(h.linkname ?? '', options.prefix);
      entries.push({ ...base, type: 'f', sha256: (target !== undefined && hashes.get(target)) || sha256Hex('') });
      entry.resume();
      continue;
    }
    const type = TYPE[h.type ?? 'file'] ?? '?';
    if (type === 'f') {
      const hash = createHash('sha256');
      for await (const chunk of entry) hash.update(chunk as Buffer);
      const sha256 = hash.digest('hex');
      hashes.set(path, sha256);
      entries.push({ ...base, type, sha256 });
      continue;
    }
    entry.resume();
    entries.push({ ...base, type, ...(type === 'l' ? { link: h.linkname ?? '' } : {}) });
  }
  return entries;
}

/** An archive member's path below the tree's root, or undefined when it is not in the tree. */
function relativePath(name: string, prefix: string): string | undefined {
  const clean = name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
  if (clean === '.') return '';
  if (!prefix) return clean;
  if (clean === prefix) return '';
  return clean.startsWith(`${prefix}/`) ? clean.slice(prefix.length + 1) : undefined;
}

/**
 * The two listings of a tree, byte for byte what these commands print in it, so a host's shell
 * and bake agree on the hashes:
 *   find . ! -type l -printf '%y %m %U %G %P\n'; find . -type l -printf '%y %m %U %G %P -> %l\n'  | LC_ALL=C sort
 *   find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 -r sha256sum --
 */
export function treeListing(entries: TreeEntry[]): TreeListing {
  const meta = entries.map(
    (e) => `${e.type} ${e.mode.toString(8)} ${e.uid} ${e.gid} ${e.path}${e.type === 'l' ? ` -> ${e.link ?? ''}` : ''}`,
  );
  const files = entries.filter((e) => e.type === 'f').sort((a, b) => byBytes(a.path, b.path));
  return {
    meta: lines(meta.sort(byBytes)),
    sums: lines(files.map((f) => `${f.sha256 ?? ''}  ${f.path}`)),
  };
}

/** The `tree:` record of a listing: its size and both hashes. */
export function treeRecord(listing: TreeListing): string {
  const entries = listing.meta ? listing.meta.split('\n').length - 1 : 0;
  return `entries=${entries} meta=sha256:${sha256Hex(listing.meta)} sums=sha256:${sha256Hex(listing.sums)}`;
}

/** The hashes a `tree:` record names, to authenticate a listing kept elsewhere. */
export function parseTreeRecord(value: string): { entries: number; meta: string; sums: string } | undefined {
  const m = /^entries=(\d+) meta=(sha256:[0-9a-f]{64}) sums=(sha256:[0-9a-f]{64})$/.exec(value);
  return m ? { entries: Number(m[1]), meta: m[2], sums: m[3] } : undefined;
}

/** Whether a listing is the one a record names (both hashes). */
export function listingMatches(listing: TreeListing, record: string): boolean {
  const want = parseTreeRecord(record);
  return (
    !!want && `sha256:${sha256Hex(listing.meta)}` === want.meta && `sha256:${sha256Hex(listing.sums)}` === want.sums
  );
}

/** Entries of a listing by path, with their content hash joined in from `sums`. */
export function parseListing(listing: TreeListing): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  for (const line of listing.meta.split('\n')) {
    const m = /^(\S) ([0-7]+) (\d+) (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, type, mode, uid, gid, rest] = m;
    const arrow = type === 'l' ? rest.indexOf(' -> ') : -1;
    const path = arrow >= 0 ? rest.slice(0, arrow) : rest;
    out.set(path, {
      path,
      type,
      mode: Number.parseInt(mode, 8),
      uid: Number(uid),
      gid: Number(gid),
      ...(arrow >= 0 ? { link: rest.slice(arrow + 4) } : {}),
    });
  }
  for (const line of listing.sums.split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.*)$/.exec(line);
    const entry = m && out.get(m[2]);
    if (entry) entry.sha256 = m[1];
  }
  return out;
}

function lines(items: string[]): string {
  return items.map((l) => `${l}\n`).join('');
}

/** LC_ALL=C order: by UTF-8 bytes, as sort(1) and the shell side compare. */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
