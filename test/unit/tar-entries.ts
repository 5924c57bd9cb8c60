import { extract } from 'tar-stream';

/** One entry of a tar archive as the tests compare it: its header and a short body (a size for a long one). */
export interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  body: string;
}

/** The entries of an uncompressed tar archive, in order. */
export async function tarEntries(archive: Buffer): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const tar = extract();
  tar.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c) => chunks.push(c as Buffer));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      entries.push({
        name: h.name,
        type: h.type ?? '',
        mode: h.mode ?? 0,
        uid: h.uid ?? -1,
        gid: h.gid ?? -1,
        uname: h.uname ?? '',
        gname: h.gname ?? '',
        mtime: h.mtime?.getTime() ?? 0,
        body: body.length < 100 ? body.toString() : `<${body.length} bytes>`,
      });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    tar.on('finish', () => resolve());
    tar.on('error', reject);
  });
  tar.end(archive);
  await done;
  return entries;
}
