import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';

/**
 * The context directory as a tar stream, read while the engine consumes it: no temporary
 * tarball on disk, and a large Go archive in the context costs no extra copy.
 */
export function packContext(contextDir: string): Readable {
  return pack(contextDir) as unknown as Readable;
}
