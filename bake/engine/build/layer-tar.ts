import { pack as tarPack } from 'tar-stream';
import type { LayerEntry } from '../types';

/**
 * A layer's uncompressed tar, byte for byte the same for the same entries: root-owned, no user
 * or group names, each entry's own mode and time, in path order (a parent before its children).
 */
export async function layerTar(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) {
    const header = { name: entry.path, mode: entry.mode, mtime: entry.mtime, uid: 0, gid: 0, uname: '', gname: '' };
    if (entry.content === undefined) pack.entry({ ...header, type: 'directory' });
    else pack.entry({ ...header, type: 'file', size: entry.content.length }, entry.content);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}
