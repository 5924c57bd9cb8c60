import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { writeFileAtomic } from '../common/atomic-write';
import { BakeError, ExitCode } from '../common/errors';

/**
 * SOURCE_DATE_EPOCH of a target's images: the newest timestamp in its verified Go archive,
 * which is the release itself (upstream's tarball, or the Debian package a repack came from).
 * Never the wall clock: the same plan gives the same image config, history and file times.
 * Reading 70 MB of archive takes a second, so the value is kept beside the cache by sha256.
 */
export async function sourceDateEpoch(archive: { path: string; sha256: string }, cacheDir: string): Promise<number> {
  if (!/^[0-9a-f]{64}$/.test(archive.sha256)) throw new Error(`not a sha256: ${archive.sha256}`);
  const recorded = join(cacheDir, 'source-date-epoch', archive.sha256);
  const known = Number.parseInt(await fs.readFile(recorded, 'utf8').catch(() => ''), 10);
  if (Number.isSafeInteger(known) && known > 0) return known;
  const epoch = await newestEntryTime(archive.path);
  await writeFileAtomic(recorded, `${epoch}\n`);
  return epoch;
}

/** The newest mtime (seconds) of the entries of a .tar.gz. */
export async function newestEntryTime(path: string): Promise<number> {
  let newest = 0;
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    const seconds = Math.floor((header.mtime?.getTime() ?? 0) / 1000);
    if (seconds > newest) newest = seconds;
    stream.on('end', next);
    stream.resume();
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), tar);
  } catch (err) {
    throw new BakeError(`cannot read the Go archive ${path}: ${(err as Error).message}`, ExitCode.Untrusted);
  }
  if (newest <= 0) throw new BakeError(`the Go archive ${path} carries no timestamps`, ExitCode.Untrusted);
  return newest;
}
