import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { settledAll } from '../common/settled-all';
import { sha256File } from '../common/sha256';
import type { ContextArchive, RenderedFile } from './types';

/** Directories of a written context get this mtime (files one derived from it), so COPY'd layers repeat. */
export const CONTEXT_MTIME = new Date('2000-01-01T00:00:00Z');
/** Content-derived offsets stay below 2^28 s (about 8.5 years after CONTEXT_MTIME). */
const MTIME_SPREAD_SECONDS = 2 ** 28;

/**
 * A file's mtime in a context: fixed for its content, so layers repeat, yet different when the
 * content changes. BuildKit sends a local context by stat (path, size, mode, mtime), not by
 * content: a file rewritten at the same path, size and mtime keeps the daemon's stale copy
 * (moby/buildkit#2592, #4817), which a site CA of the same length re-issued would hit.
 */
export function contextFileMtime(content: Buffer | string): Date {
  const offset = createHash('sha256').update(content).digest().readUInt32BE(0) % MTIME_SPREAD_SECONDS;
  return new Date(CONTEXT_MTIME.getTime() + offset * 1000);
}

/** Marks a directory as a context bake wrote, which it may therefore replace. */
export const CONTEXT_MARKER = '.bake-context';
const MARKER_TEXT = 'A build context written by bake; `bake render` replaces this directory.\n';

/** Every directory of a written context. */
export const DIR_MODE = 0o755;
const ARCHIVE_MODE = 0o644;

/**
 * Writes a rendered context to `dir`: files with their modes and a fixed mtime, and an archive
 * when one is given (the Go distribution image's context) at its context path, a hard link to
 * the verified cache file when on the same filesystem, else a copy, re-hashed so a cache file
 * changed since verification is never built; and `directories`, empty, for a COPY to give their
 * fixed mode and time to directories an image already has. The context is assembled beside
 * `dir` and renamed into place, so `dir` never holds a half-written context; an existing `dir`
 * is replaced only when empty or written by bake.
 */
export async function writeContext(
  dir: string,
  files: RenderedFile[],
  archive?: ContextArchive,
  directories: string[] = [],
): Promise<void> {
  await assertReplaceable(dir);
  await fs.mkdir(dirname(dir), { recursive: true });
  const staging = join(dirname(dir), `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.mkdir(staging, { mode: DIR_MODE });
  try {
    const dirs = new Set<string>(['.']);
    // Directories one after the other (they share parents), then every file at once (a
    // policy-only rebuild waits for them), all settled before a failure removes the staging.
    const paths = files.map((file) => contextPath(staging, file.path));
    for (const file of files) await ensureParents(staging, file.path, dirs);
    await settledAll(files.map((file, i) => writeContextFile(paths[i], file)));
    if (archive) await placeArchive(staging, archive, dirs);
    for (const rel of directories) {
      contextPath(staging, rel);
      await ensureParents(staging, `${rel}/${CONTEXT_MARKER}`, dirs);
    }
    const marker = join(staging, CONTEXT_MARKER);
    await fs.writeFile(marker, MARKER_TEXT, { mode: ARCHIVE_MODE, flag: 'wx' });
    await fs.chmod(marker, ARCHIVE_MODE);
    await fs.utimes(marker, CONTEXT_MTIME, CONTEXT_MTIME);
    // Deepest first: setting a directory's times after its children were written.
    for (const rel of [...dirs].sort((a, b) => b.split('/').length - a.split('/').length)) {
      const path = rel === '.' ? staging : join(staging, rel);
      await fs.chmod(path, DIR_MODE);
      await fs.utimes(path, CONTEXT_MTIME, CONTEXT_MTIME);
    }
    await swapInto(staging, dir);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
}

async function writeContextFile(path: string, file: RenderedFile): Promise<void> {
  await fs.writeFile(path, file.content, { mode: file.mode, flag: 'wx' });
  await fs.chmod(path, file.mode); // the umask must not change what the image gets
  const mtime = contextFileMtime(file.content);
  await fs.utimes(path, mtime, mtime);
}

async function placeArchive(staging: string, archive: ContextArchive, dirs: Set<string>): Promise<void> {
  const { contextPath: rel, source } = archive;
  await ensureParents(staging, rel, dirs);
  const dest = contextPath(staging, rel);
  try {
    await fs.link(source, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new BakeError(`Go archive ${source} is missing; run the plan again to fetch it`, ExitCode.Failure);
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
    await fs.copyFile(source, dest);
    await fs.chmod(dest, ARCHIVE_MODE);
    await fs.utimes(dest, CONTEXT_MTIME, CONTEXT_MTIME);
  }
  const { sha256 } = await sha256File(dest);
  if (sha256 !== archive.sha256) {
    throw new BakeError(
      `Go archive ${source} has sha256 ${sha256}, the plan verified ${archive.sha256}; refusing to build from it`,
      ExitCode.Untrusted,
    );
  }
}

/** Resolves a context-relative path, refusing anything that would leave the context. */
function contextPath(root: string, rel: string): string {
  const normal = posix.normalize(rel);
  if (normal !== rel || rel.startsWith('/') || rel === '..' || rel.startsWith('../') || rel === '.') {
    throw new Error(`context path "${rel}" is not a plain relative path`);
  }
  return join(root, ...rel.split('/'));
}

async function ensureParents(root: string, rel: string, dirs: Set<string>): Promise<void> {
  const parts = rel.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    if (dirs.has(sub)) continue;
    await fs.mkdir(join(root, ...parts.slice(0, i)), { mode: DIR_MODE });
    dirs.add(sub);
  }
}

async function assertReplaceable(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    if (err.code === 'ENOTDIR') throw new BakeError(`${dir} exists and is not a directory`, ExitCode.Usage);
    throw err;
  });
  if (entries.length > 0 && !entries.includes(CONTEXT_MARKER)) {
    throw new BakeError(
      `${dir} is not empty and was not written by bake; refusing to replace it`,
      ExitCode.Usage,
      'choose an empty or new --out directory',
    );
  }
}

/** Moves the finished context to `dir`, replacing an earlier one. */
async function swapInto(staging: string, dir: string): Promise<void> {
  const old = `${staging}.old`;
  const moved = await fs.rename(dir, old).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
  await fs.rename(staging, dir);
  if (moved) await fs.rm(old, { recursive: true, force: true });
}
