import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';

export type FixtureEntry =
  | { path: string; content: string | Buffer; mode?: number }
  | { path: string; symlink: string }
  | { path: string; dir: true };

/** A tar of entries, as one image layer. */
export async function layerTar(entries: FixtureEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const name = e.path.replace(/^\//, '');
    if ('symlink' in e) pack.entry({ name, type: 'symlink', linkname: e.symlink });
    else if ('dir' in e) pack.entry({ name, type: 'directory', mode: 0o755 });
    else
      pack.entry({ name, mode: e.mode ?? 0o644 }, typeof e.content === 'string' ? Buffer.from(e.content) : e.content);
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const chunk of pack) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/**
 * An image export as Docker 25+ writes it (OCI layout: `blobs/sha256/<hex>` and a
 * `manifest.json` naming the layers in order). The blobs go out sorted by digest and the
 * manifest last, as in a real export, so a reader that applies layers in stream order is wrong.
 */
export async function dockerSaveExport(layers: FixtureEntry[][]): Promise<Readable> {
  const blobs = await Promise.all(layers.map(layerTar));
  const names = blobs.map((b) => `blobs/sha256/${createHash('sha256').update(b).digest('hex')}`);
  const pack = tar.pack();
  const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
  const configName = `blobs/sha256/${createHash('sha256').update(config).digest('hex')}`;
  for (const [name, blob] of [...names.map((n, i) => [n, blobs[i]] as const), [configName, config] as const].sort(
    ([a], [b]) => a.localeCompare(b),
  ))
    pack.entry({ name }, blob);
  pack.entry({ name: 'manifest.json' }, JSON.stringify([{ Config: configName, RepoTags: [], Layers: names }]));
  pack.finalize();
  return Readable.from(pack);
}
