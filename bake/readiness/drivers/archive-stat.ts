import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import type { FileStat } from '../types';

const SYMLINK_HOPS = 16;

/**
 * stat(2) of a path in a container's filesystem through the engine's archive API, symlinks
 * followed: the first tar header of the path says its type, mode and owner. Only that header
 * is read (a directory's content is never transferred in full), and nothing runs in the
 * container, so it needs no shell and works on a container that was never started.
 */
export async function archiveStat(container: Dockerode.Container, path: string): Promise<FileStat | undefined> {
  let current = path;
  for (let hop = 0; hop <= SYMLINK_HOPS; hop++) {
    const header = await firstHeader(container, current);
    if (!header) return undefined;
    if (header.type === 'symlink' && header.linkname) {
      current = posix.resolve(posix.dirname(current), header.linkname);
      continue;
    }
    return {
      type: header.type === 'file' ? 'file' : header.type === 'directory' ? 'directory' : 'other',
      mode: (header.mode ?? 0) & 0o7777,
      uid: header.uid ?? 0,
      gid: header.gid ?? 0,
      size: header.size ?? 0,
    };
  }
  throw new Error(`${path}: more than ${SYMLINK_HOPS} symlinks`);
}

async function firstHeader(container: Dockerode.Container, path: string): Promise<tar.Header | undefined> {
  let archive: Readable;
  try {
    archive = (await container.getArchive({ path })) as Readable;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
  const extract = tar.extract();
  archive.on('error', (err) => extract.destroy(err));
  archive.pipe(extract);
  try {
    for await (const entry of extract) return entry.header;
    return undefined;
  } finally {
    extract.destroy();
    archive.destroy();
  }
}
