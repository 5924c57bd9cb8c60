import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * Go modules as a GOPROXY serves them, written by the test itself: the module zip format
 * (golang.org/x/mod/zip: every file under `<module>@<version>/`, stored, no directories) and
 * the go.sum hash the go command computes over it (dirhash Hash1), so a test can pin it.
 */

export interface ModuleFile {
  /** Path inside the module (`go.mod`, `cmd/hello/main.go`). */
  path: string;
  content: string;
}

/** dirhash.Hash1: sha256 over "<sha256 hex>  <name>\n" lines of the sorted file names, base64, `h1:`. */
export function hash1(files: { name: string; content: Buffer }[]): string {
  const summary = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${createHash('sha256').update(f.content).digest('hex')}  ${f.name}\n`)
    .join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

/** A zip archive of stored (uncompressed) entries: what archive/zip reads and Go's module zip rules allow. */
export function storedZip(entries: { name: string; content: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.content.length, 18);
    local.writeUInt32LE(entry.content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, entry.content);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, so the external attributes are a mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(entry.content.length, 20);
    central.writeUInt32LE(entry.content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0o100644 * 0x10000, 38); // external attributes: a regular file, 0644
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + entry.content.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export interface PublishedModule {
  path: string;
  version: string;
  /** The go.sum line values: the zip's hash and the go.mod's. */
  sum: string;
  goModSum: string;
}

/**
 * Writes one module version into a GOPROXY file tree under `root`: `<module>/@v/list`,
 * `<version>.info`, `.mod` and `.zip` (module paths in the test are lowercase, so they need
 * no escaping).
 */
export async function publishModule(
  root: string,
  module: string,
  version: string,
  files: ModuleFile[],
): Promise<PublishedModule> {
  const dir = join(root, ...module.split('/'), '@v');
  await fs.mkdir(dir, { recursive: true });
  const entries = files.map((f) => ({ name: `${module}@${version}/${f.path}`, content: Buffer.from(f.content) }));
  const goMod = files.find((f) => f.path === 'go.mod');
  if (!goMod) throw new Error(`module ${module} needs a go.mod`);
  await fs.writeFile(join(dir, `${version}.zip`), storedZip(entries));
  await fs.writeFile(join(dir, `${version}.mod`), goMod.content);
  await fs.writeFile(join(dir, `${version}.info`), JSON.stringify({ Version: version, Time: '2026-11-01T00:00:00Z' }));
  await fs.appendFile(join(dir, 'list'), `${version}\n`);
  return {
    path: module,
    version,
    sum: hash1(entries),
    goModSum: hash1([{ name: 'go.mod', content: Buffer.from(goMod.content) }]),
  };
}
