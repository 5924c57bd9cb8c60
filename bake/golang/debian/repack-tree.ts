import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { RepackEntry } from './types';

/**
 * Lists the tree under `goRoot` as archive entries below `prefix`, in a fixed order
 * (children sorted by byte value, each directory before its contents).
 * Debian splits a GOROOT into usr/lib/go-1.NN with `src`, `api`, `misc`, `test` and
 * `pkg/include` as symlinks into usr/share/go-1.NN; they are followed so the archive has
 * real files, as official tarballs do. A symlink that leaves `within` (the extracted
 * packages), dangles, or loops is refused: it would point at whatever the target system has.
 */
export async function listRepackTree(options: {
  goRoot: string;
  within: string;
  prefix?: string;
}): Promise<RepackEntry[]> {
  const within = await fs.realpath(options.within);
  const root = await fs.realpath(options.goRoot);
  const prefix = options.prefix ?? 'go';
  const entries: RepackEntry[] = [];
  const rootStat = await fs.stat(root);
  entries.push({ name: `${prefix}/`, type: 'directory', mode: safeMode(rootStat.mode), size: 0, source: root });
  await walk(root, prefix, new Set([root]), within, entries);
  return entries;
}

async function walk(
  dir: string,
  logical: string,
  ancestors: Set<string>,
  within: string,
  out: RepackEntry[],
): Promise<void> {
  const names = (await fs.readdir(dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const path = join(dir, name);
    const archiveName = `${logical}/${name}`;
    let real = path;
    const lstat = await fs.lstat(path);
    if (lstat.isSymbolicLink()) {
      const target = await fs.readlink(path);
      real = await fs.realpath(path).catch(() => '');
      if (real === '' || !isInside(within, real)) {
        throw new BakeError(
          `${archiveName}: symlink to ${target} points outside the Debian packages; cannot repack`,
          ExitCode.Failure,
        );
      }
    }
    const stat = real === path ? lstat : await fs.stat(real);
    if (stat.isDirectory()) {
      if (ancestors.has(real)) throw new BakeError(`${archiveName}: symlink loop; cannot repack`, ExitCode.Failure);
      out.push({ name: `${archiveName}/`, type: 'directory', mode: safeMode(stat.mode), size: 0, source: real });
      await walk(real, archiveName, new Set([...ancestors, real]), within, out);
    } else if (stat.isFile()) {
      out.push({ name: archiveName, type: 'file', mode: safeMode(stat.mode), size: stat.size, source: real });
    } else {
      throw new BakeError(`${archiveName}: not a regular file or directory; cannot repack`, ExitCode.Failure);
    }
  }
}

/** Keeps the packaged read/execute bits; nobody but root may write, no set-id bits. */
export function safeMode(mode: number): number {
  return mode & 0o755;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}
