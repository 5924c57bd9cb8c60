import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { BakeError, ExitCode } from '../../common/errors';
import { sha256Hex } from '../../common/sha256';
import type { Logger } from '../../common/log';
import type { Arch } from '../../recipe/types';
import type { DownloadCache } from '../download-cache';
import { parseGoVersion } from '../go-version';
import { httpGet, httpGetBytes } from '../http-get';
import { signatureLine, verifyDetachedSignature } from '../trust/openpgp-verify';
import { linuxArchivesFor, OFFICIAL_INDEX_URL, parseReleaseIndex } from './release-index';
import { SourceUnavailableError } from '../source-unavailable-error';
import { embeddedGoKey } from '../trust/trusted-keys';
import type { CachedGoDistribution, GoReleaseFile, GoReleaseIndex, GoSource, TrustedKey } from '../types';

export const OFFICIAL_DOWNLOAD_BASE = 'https://dl.google.com/go/';

export interface OfficialSourceOptions {
  cache: DownloadCache;
  logger: Logger;
  /** Defaults are the real ones; tests point these at a local server. */
  indexUrl?: string;
  downloadBase?: string;
  /** Keys whose signatures are accepted on the archives; default: the embedded Go key only. */
  keys?: TrustedKey[];
  /** Limit for the index and signature requests. */
  timeoutMs?: number;
  /** Limit for one archive download (~70 MB). */
  downloadTimeoutMs?: number;
}

/**
 * The official downloads: the index from go.dev (over HTTPS; it carries the sha256 and size),
 * each archive from dl.google.com with its detached signature `<file>.asc`, which must be made
 * by the Go signing key. Only a site's mirror keys are never accepted here.
 */
export function createOfficialGoSource(options: OfficialSourceOptions): GoSource {
  const indexUrl = options.indexUrl ?? OFFICIAL_INDEX_URL;
  const base = withSlash(options.downloadBase ?? OFFICIAL_DOWNLOAD_BASE);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const downloadTimeoutMs = options.downloadTimeoutMs ?? 20 * 60_000;
  // One index read per source object (a run), however many targets ask.
  let fullIndex: Promise<GoReleaseIndex> | undefined;

  const readIndex = async (): Promise<GoReleaseIndex> => {
    const response = await httpGet(indexUrl, { timeoutMs });
    if (!response) throw new SourceUnavailableError(`${indexUrl}: the Go release index was not found (HTTP 404)`);
    return parseReleaseIndex(await response.text(), indexUrl);
  };

  return {
    kind: 'official',
    location: base,
    async index(arch: Arch) {
      fullIndex ??= readIndex();
      return linuxArchivesFor(await fullIndex, arch);
    },
    async fetch(file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution> {
      const url = new URL(file.filename, base).toString();
      const keys = options.keys ?? [await embeddedGoKey()];
      const signature = await httpGetBytes(`${url}.asc`, { timeoutMs, maxBytes: 64 * 1024 });
      if (!signature) throw new BakeError(`${url}: missing signature (${url}.asc not found)`, ExitCode.Untrusted);

      const cached = await options.cache.get(file.sha256);
      // A cached archive is re-checked against the signature too: cheap, and it keeps
      // "verified before use" true even for entries another source put there.
      const data = cached ? await fs.readFile(cached) : await download(url, file, downloadTimeoutMs, options.logger);
      const signer = await verifyDetachedSignature({
        data,
        armoredSignature: Buffer.from(signature).toString('utf8'),
        keys,
        what: url,
      });
      // Buffered, not streamed into the cache: the signature can only be checked on the whole
      // file, and nothing may enter the cache before it is.
      const path =
        cached ?? (await options.cache.put(Readable.from([data]), { sha256: file.sha256, size: file.size, name: url }));
      return {
        version: parseGoVersion(file.version)?.semver ?? file.version,
        arch,
        source: 'official',
        filename: file.filename,
        sha256: file.sha256,
        size: file.size,
        origin: url,
        verifiedBy: [
          `sha256 and size match the official index ${indexUrl}`,
          signatureLine(`${file.filename}.asc`, signer),
        ],
        path,
      };
    },
  };
}

async function download(url: string, file: GoReleaseFile, timeoutMs: number, logger: Logger): Promise<Uint8Array> {
  logger.info(`downloading ${url} (${Math.round(file.size / 1e6)} MB)`);
  const data = await httpGetBytes(url, { timeoutMs, maxBytes: file.size });
  if (!data) throw new BakeError(`${url}: not found on the official download site (HTTP 404)`, ExitCode.Unavailable);
  if (data.length !== file.size) {
    throw new BakeError(
      `${url}: size ${data.length} bytes, expected ${file.size} (truncated or altered download)`,
      ExitCode.Untrusted,
    );
  }
  const actual = sha256Hex(data);
  if (actual !== file.sha256)
    throw new BakeError(
      `${url}: sha256 ${actual} does not match the official index's ${file.sha256}`,
      ExitCode.Untrusted,
    );
  return data;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
