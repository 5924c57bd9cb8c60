import { Transform, type Readable } from 'node:stream';
import { pack } from 'tar-fs';
import type { PackedContext } from './types';

/**
 * The context directory as a tar stream, read while the engine consumes it: no temporary
 * tarball on disk. Its size is counted as it goes, for `bake build --json`.
 */
export function packContext(contextDir: string): PackedContext {
  const tar = pack(contextDir) as unknown as Readable;
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  tar.on('error', (err) => counted.destroy(err));
  tar.pipe(counted);
  return {
    stream: counted,
    bytes: () => bytes,
    destroy: () => {
      tar.destroy();
      counted.destroy();
    },
  };
}
