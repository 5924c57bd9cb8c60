import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { collectStream, layerTarStream } from '../common/layer-stream';

/** One entry of a layer, as a scan sees it before deciding to read it. */
export interface EntryHeader {
  size: number;
  mode: number;
}

/**
 * What a scan keeps of an image's filesystem: `select` picks the regular files to read, `read`
 * turns one file's bytes into a value (or undefined: nothing worth keeping), `keepLink` the
 * symbolic links whose targets matter. Everything else only counts for whiteouts and overwrites.
 */
export interface FilesystemScan<T> {
  select(path: string, header: EntryHeader): boolean;
  read(path: string, bytes: Buffer): T | undefined;
  keepLink(path: string): boolean;
}

/** A kept entry without the layer it came from. */
type Kept<T> = { type: 'file'; value: T } | { type: 'symlink'; target: string };

/** What the scan kept of a path, and which layer (0: the oldest) wrote it. */
export type KeptEntry<T> = Kept<T> & { layer: number };

/** What one layer did: every path it wrote, what it deleted, and the entries a scan kept. */
interface LayerChanges<T> {
  written: string[];
  /** `.wh.NAME`: NAME (and whatever was under it) is gone from the layers below. */
  whiteouts: string[];
  /** `.wh..wh..opq`: the directory's contents from the layers below are gone. */
  opaque: string[];
  kept: Map<string, Kept<T>>;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * The files an image really has, read from its export (`docker save`): each layer applied over
 * the ones below in the order the export's manifest gives, so a file a later layer deleted
 * (whiteout, opaque directory) or replaced is gone, as in a container of the image. Layers are
 * parsed while they stream and only what the scan keeps stays in memory.
 */
export async function scanImageFilesystem<T>(
  exported: Readable,
  scan: FilesystemScan<T>,
): Promise<{ files: Map<string, KeptEntry<T>>; layers: number }> {
  const layers = new Map<string, LayerChanges<T>>();
  const seen: string[] = [];
  let manifest: string[] | undefined;
  const outer = tar.extract();
  exported.on('error', (err) => outer.destroy(err));
  exported.pipe(outer);
  try {
    for await (const entry of outer) {
      const name = entry.header.name;
      if (entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      if (name === 'manifest.json') {
        manifest = layerOrder(await collectStream(entry));
        continue;
      }
      if (!(name.endsWith('/layer.tar') || name.startsWith('blobs/'))) {
        entry.resume();
        continue;
      }
      const changes = await readLayer(entry, scan);
      if (changes) {
        layers.set(name, changes);
        seen.push(name);
      }
    }
  } finally {
    outer.destroy();
    exported.destroy();
  }
  const order = manifest ?? seen;
  const files = new Map<string, KeptEntry<T>>();
  order.forEach((name, index) => {
    const changes = layers.get(name);
    if (changes) applyLayer(files, changes, index);
  });
  return { files, layers: order.length };
}

/** The layers of the export's (only) image, oldest first. */
function layerOrder(bytes: Buffer): string[] {
  const manifest = JSON.parse(bytes.toString('utf8')) as { Layers?: string[] }[];
  if (!Array.isArray(manifest) || manifest.length !== 1 || !Array.isArray(manifest[0].Layers))
    throw new Error('the image export has no single-image manifest.json');
  return manifest[0].Layers;
}

/** Applies one layer over the files of the layers below it. */
function applyLayer<T>(files: Map<string, KeptEntry<T>>, changes: LayerChanges<T>, layer: number): void {
  const removeTree = (dir: string, self: boolean) => {
    for (const path of [...files.keys()])
      if ((self && path === dir) || path.startsWith(dir === '/' ? '/' : `${dir}/`)) files.delete(path);
  };
  for (const dir of changes.opaque) removeTree(dir, false);
  for (const path of changes.whiteouts) removeTree(path, true);
  for (const path of changes.written) files.delete(path);
  for (const [path, entry] of changes.kept) files.set(path, { ...entry, layer });
}

async function readLayer<T>(
  blob: AsyncIterable<unknown>,
  scan: FilesystemScan<T>,
): Promise<LayerChanges<T> | undefined> {
  const source = await layerTarStream(blob);
  if (!source) return undefined;
  const changes: LayerChanges<T> = { written: [], whiteouts: [], opaque: [], kept: new Map() };
  const inner = tar.extract();
  source.on('error', (err) => inner.destroy(err));
  source.pipe(inner);
  for await (const entry of inner) {
    const h = entry.header;
    const path = `/${h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash) || '/';
    const base = path.slice(slash + 1);
    if (base === OPAQUE) changes.opaque.push(dir);
    else if (base.startsWith(WHITEOUT))
      changes.whiteouts.push(`${dir === '/' ? '' : dir}/${base.slice(WHITEOUT.length)}`);
    else changes.written.push(path);
    const regular = h.type === 'file' || h.type === 'contiguous-file';
    if (regular && scan.select(path, { size: h.size ?? 0, mode: h.mode ?? 0 })) {
      const value = scan.read(path, await collectStream(entry));
      if (value !== undefined) changes.kept.set(path, { type: 'file', value });
      continue;
    }
    if (h.type === 'symlink' && h.linkname && scan.keepLink(path))
      changes.kept.set(path, { type: 'symlink', target: h.linkname });
    // A hard link shares its target's content: what the scan kept of the target, it keeps here.
    if (h.type === 'link' && h.linkname) {
      const target = changes.kept.get(`/${h.linkname.replace(/^\.?\/+/, '')}`);
      if (target) changes.kept.set(path, target);
    }
    entry.resume();
  }
  return changes;
}
