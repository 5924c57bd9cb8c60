import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * A blob of `docker save` output as a tar stream (gunzipped when compressed), or undefined
 * when it is not a layer (an OCI config or manifest blob in the export), which is drained.
 */
export async function layerTarStream(blob: AsyncIterable<unknown>): Promise<Readable | undefined> {
  const chunks = blob[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < 512) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const start = Buffer.concat(head);
  const gzip = start[0] === 0x1f && start[1] === 0x8b;
  const isTar = start.toString('latin1', 257, 262) === 'ustar';
  if (!gzip && !isTar) {
    if (!ended) for (let n = await chunks.next(); !n.done; n = await chunks.next());
    return undefined;
  }
  const source = Readable.from(
    (async function* () {
      yield start;
      if (!ended) for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
    })(),
  );
  if (!gzip) return source;
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  return source.pipe(gunzip);
}

/** Everything a stream yields, as one buffer. */
export async function collectStream(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
