import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bodyStream, httpGet, httpGetBytes } from '../http-get';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { MirrorReader } from './types';

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** A directory, a file:// URL or an http(s) URL. */
export function createMirrorReader(
  location: string,
  timeouts: { timeoutMs: number; downloadTimeoutMs: number },
): MirrorReader {
  if (isUrl(location)) return httpMirrorReader(location, timeouts);
  return directoryMirrorReader(location.startsWith('file://') ? fileURLToPath(location) : location);
}

function directoryMirrorReader(dir: string): MirrorReader {
  const where = (name: string) => join(dir, name);
  const ensureDir = async () => {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat?.isDirectory()) throw new SourceUnavailableError(`${dir}: no such mirror directory`);
  };
  return {
    where,
    async readSmall(name) {
      await ensureDir();
      return fs.readFile(where(name)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
    },
    async stream(name) {
      await ensureDir();
      const handle = await fs.open(where(name), 'r').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      // The opened handle is streamed, so a file replaced after the check is not read instead.
      return handle?.createReadStream();
    },
  };
}

function httpMirrorReader(base: string, timeouts: { timeoutMs: number; downloadTimeoutMs: number }): MirrorReader {
  const root = base.endsWith('/') ? base : `${base}/`;
  const where = (name: string) => new URL(encodeURIComponent(name), root).toString();
  return {
    where,
    readSmall: (name) => httpGetBytes(where(name), { timeoutMs: timeouts.timeoutMs, maxBytes: 64 * 1024 * 1024 }),
    async stream(name) {
      const response = await httpGet(where(name), { timeoutMs: timeouts.downloadTimeoutMs });
      return response ? bodyStream(response) : undefined;
    },
  };
}
