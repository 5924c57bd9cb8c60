import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';

/**
 * Where any of `needles` occurs in an image as `docker save` writes it: every layer (gunzipped
 * when compressed: a whole file system, files deleted by later layers included), the config
 * with its history and env, the manifests. Returns `<entry>: <needle index>` per finding.
 */
export async function findInSavedImage(docker: Dockerode, image: string, needles: string[]): Promise<string[]> {
  const extract = tar.extract();
  (await docker.getImage(image).get()).pipe(extract);
  const found: string[] = [];
  for await (const entry of extract) {
    const stream = entry as unknown as Readable;
    const first: Buffer[] = [];
    // Peek at the first bytes for gzip's magic, then search the whole (decompressed) entry.
    const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head = await iterator.next();
    if (head.done) continue;
    first.push(head.value);
    const rest = (async function* () {
      yield* first;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })();
    const gzipped = head.value[0] === 0x1f && head.value[1] === 0x8b;
    const chunks: AsyncIterable<Buffer> = gzipped
      ? (await import('node:stream')).Readable.from(rest).pipe(createGunzip())
      : rest;
    for (const index of await searchStream(chunks, needles)) found.push(`${entry.header.name}: needle ${index}`);
  }
  return found;
}

/** The indexes of the needles found in a byte stream (matches across chunk boundaries included). */
export async function searchStream(chunks: AsyncIterable<Buffer>, needles: string[]): Promise<number[]> {
  const bytes = needles.map((n) => Buffer.from(n, 'utf8'));
  const keep = Math.max(...bytes.map((b) => b.length)) - 1;
  const hits = new Set<number>();
  let tail = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const window = Buffer.concat([tail, chunk]);
    bytes.forEach((b, i) => {
      if (window.includes(b)) hits.add(i);
    });
    tail = window.subarray(Math.max(0, window.length - keep));
  }
  return [...hits].sort();
}

/** Texts (logs, reports), searched the same way: `<name>: needle <index>` per finding. */
export function findInText(texts: Record<string, string>, needles: string[]): string[] {
  return Object.entries(texts).flatMap(([where, text]) =>
    needles.flatMap((n, i) => (text.includes(n) ? [`${where}: needle ${i}`] : [])),
  );
}
