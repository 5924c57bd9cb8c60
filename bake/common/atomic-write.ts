import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Temp path in the destination's directory, so the final rename never crosses filesystems. */
export function tempPathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file so that readers see either the old content or the new one, never a part:
 * write a temp file beside it, fsync, rename over.
 */
export async function writeFileAtomic(dest: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await fs.mkdir(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, dest);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
