import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempPathFor } from '../common/atomic-write';
import { BakeError, ExitCode } from '../common/errors';
import { SHA256_HEX, sha256File } from '../common/sha256';

/**
 * Content-addressed store of verified files: `<dir>/sha256/<hex>`.
 * An entry only appears (by rename) after its bytes hashed to its name, so a reader never
 * sees a partial or unverified file, and concurrent writers of the same content are harmless.
 */
export class DownloadCache {
  /**
   * Entries this instance has hashed, by what identifies the file's bytes without reading
   * them: any write or replacement changes the inode, size, mtime or ctime (and ctime cannot
   * be set back), so a file changed since is hashed again.
   */
  private readonly verified = new Map<string, string>();

  constructor(readonly dir: string) {}

  pathFor(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.dir, 'sha256', sha256);
  }

  /** The cached path when present and still intact, else undefined (a corrupt entry is removed). */
  async get(sha256: string): Promise<string | undefined> {
    const path = this.pathFor(sha256);
    const stat = await fs.stat(path, { bigint: true }).catch(() => undefined);
    if (!stat) return undefined;
    const identity = [stat.dev, stat.ino, stat.size, stat.mtimeNs, stat.ctimeNs].join(':');
    if (this.verified.get(sha256) === identity) return path;
    // Re-hashing costs ~0.2 s per 70 MB archive and protects against a tampered cache.
    if ((await sha256File(path)).sha256 === sha256) {
      this.verified.set(sha256, identity);
      return path;
    }
    this.verified.delete(sha256);
    await fs.rm(path, { force: true });
    return undefined;
  }

  /** Stores a stream under its expected sha256; rejects (storing nothing) when the bytes differ. */
  async put(
    source: Readable | AsyncIterable<Uint8Array>,
    expected: { sha256: string; size?: number; name: string },
  ): Promise<string> {
    const dest = this.pathFor(expected.sha256);
    await fs.mkdir(join(this.dir, 'sha256'), { recursive: true });
    const tmp = tempPathFor(dest);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx', mode: 0o644 }),
      );
      const actual = hash.digest('hex');
      if (expected.size !== undefined && size !== expected.size) {
        throw new BakeError(
          `${expected.name}: size ${size} bytes, expected ${expected.size} (truncated or altered download)`,
          ExitCode.Untrusted,
        );
      }
      if (actual !== expected.sha256) {
        throw new BakeError(
          `${expected.name}: sha256 ${actual} does not match the signed manifest's ${expected.sha256}`,
          ExitCode.Untrusted,
        );
      }
      await fs.rename(tmp, dest);
      return dest;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /** Stores a local file (a mirror on disk) the same way. */
  async putFile(path: string, expected: { sha256: string; size?: number; name: string }): Promise<string> {
    return this.put(createReadStream(path), expected);
  }
}
