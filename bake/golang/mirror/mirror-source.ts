import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { sha256Hex } from '../../common/sha256';
import type { Arch } from '../../recipe/types';
import type { DownloadCache } from '../download-cache';
import { parseGoVersion } from '../go-version';
import { createMirrorReader } from './mirror-reader';
import type { MirrorReader } from './types';
import { signatureLine, verifyDetachedSignature } from '../trust/openpgp-verify';
import type { VerifiedSignature } from '../trust/types';
import { linuxArchivesFor, parseReleaseIndex } from '../official/release-index';
import { parseSha256Sums } from './sha256sums';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { CachedGoDistribution, GoReleaseFile, GoReleaseIndex, GoSource, TrustedKey } from '../types';

/** The fixed mirror layout, so other tools can produce mirrors. */
export const MIRROR_INDEX = 'index.json';
export const MIRROR_SUMS = 'SHA256SUMS';
export const MIRROR_SUMS_SIGNATURE = 'SHA256SUMS.asc';

export interface MirrorSourceOptions {
  /** A directory, a file:// URL or an http(s) URL. */
  location: string;
  cache: DownloadCache;
  /** Keys a SHA256SUMS signature may be made by (the embedded Go key and the site's keys). */
  trustedKeys: TrustedKey[];
  logger: Logger;
  timeoutMs?: number;
  downloadTimeoutMs?: number;
}

/** What a mirror's signed manifest establishes, checked once per source object. */
interface VerifiedMirror {
  sums: Map<string, string>;
  index: GoReleaseIndex;
  signer: VerifiedSignature;
}

/**
 * An offline mirror: `index.json` (official format), the archives under their official names,
 * `SHA256SUMS` covering all of them and `SHA256SUMS.asc`, a detached signature of it.
 * Trust flows from the signature only: SHA256SUMS is verified first, then index.json against
 * it, then each archive against both (they must agree) and its size from index.json. An
 * archive already in the cache is not read from the mirror again.
 */
export function createMirrorGoSource(options: MirrorSourceOptions): GoSource {
  const reader = createMirrorReader(options.location, {
    timeoutMs: options.timeoutMs ?? 30_000,
    downloadTimeoutMs: options.downloadTimeoutMs ?? 20 * 60_000,
  });
  let verified: Promise<VerifiedMirror> | undefined;
  const manifest = () => (verified ??= verifyManifest(reader, options.trustedKeys));

  return {
    kind: 'mirror',
    location: options.location,
    async index(arch: Arch) {
      const { index, sums } = await manifest();
      // A mirror may carry an index of every release but only some archives: offer what it holds.
      return linuxArchivesFor(index, arch).filter((release) => sums.has(release.files[0].filename));
    },
    async fetch(file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution> {
      const { index, sums, signer } = await manifest();
      const where = reader.where(file.filename);
      const listed = sums.get(file.filename);
      if (!listed) throw new BakeError(`${where}: not listed in ${reader.where(MIRROR_SUMS)}`, ExitCode.Untrusted);
      const indexed = index.flatMap((r) => r.files).find((f) => f.filename === file.filename);
      if (!indexed) throw new BakeError(`${where}: not listed in ${reader.where(MIRROR_INDEX)}`, ExitCode.Untrusted);
      for (const [claim, sha256] of [
        ['index.json', indexed.sha256],
        ['the requested file', file.sha256],
      ] as const) {
        if (sha256 !== listed) {
          throw new BakeError(
            `${where}: ${MIRROR_SUMS} lists sha256 ${listed} but ${claim} says ${sha256}`,
            ExitCode.Untrusted,
          );
        }
      }
      const path =
        (await options.cache.get(listed)) ??
        (await download(reader, file.filename, listed, indexed.size, options.logger));
      return {
        version: parseGoVersion(file.version)?.semver ?? file.version,
        arch,
        source: 'mirror',
        filename: file.filename,
        sha256: listed,
        size: indexed.size,
        origin: where,
        verifiedBy: [
          signatureLine(reader.where(MIRROR_SUMS_SIGNATURE), signer),
          `sha256 listed in ${MIRROR_SUMS} and ${MIRROR_INDEX}; size from ${MIRROR_INDEX}`,
        ],
        path,
      };
    },
  };

  async function download(
    r: MirrorReader,
    name: string,
    sha256: string,
    size: number,
    logger: Logger,
  ): Promise<string> {
    const where = r.where(name);
    const stream = await r.stream(name);
    if (!stream)
      throw new BakeError(`${where}: listed in ${MIRROR_SUMS} but missing from the mirror`, ExitCode.Unavailable);
    logger.info(`copying ${where} (${Math.round(size / 1e6)} MB) into the cache`);
    try {
      return await options.cache.put(stream, { sha256, size, name: where });
    } catch (err) {
      if (err instanceof BakeError) throw err;
      throw new SourceUnavailableError(`${where}: read failed (${(err as Error).message})`);
    }
  }
}

async function verifyManifest(reader: MirrorReader, trustedKeys: TrustedKey[]): Promise<VerifiedMirror> {
  const sumsWhere = reader.where(MIRROR_SUMS);
  const signature = await reader.readSmall(MIRROR_SUMS_SIGNATURE);
  if (!signature) {
    throw new BakeError(
      `${reader.where(MIRROR_SUMS_SIGNATURE)}: missing signature; ` +
        `an unsigned mirror is not trusted (sign ${MIRROR_SUMS} with the site's key)`,
      ExitCode.Untrusted,
    );
  }
  const sumsBytes = await reader.readSmall(MIRROR_SUMS);
  if (!sumsBytes) throw new BakeError(`${sumsWhere}: missing from the mirror`, ExitCode.Untrusted);
  const signer = await verifyDetachedSignature({
    data: sumsBytes,
    armoredSignature: Buffer.from(signature).toString('utf8'),
    keys: trustedKeys,
    what: sumsWhere,
  });
  const sums = parseSha256Sums(Buffer.from(sumsBytes).toString('utf8'), sumsWhere);

  const indexWhere = reader.where(MIRROR_INDEX);
  const listed = sums.get(MIRROR_INDEX);
  if (!listed)
    throw new BakeError(
      `${sumsWhere}: does not list ${MIRROR_INDEX}, so the mirror's index cannot be trusted`,
      ExitCode.Untrusted,
    );
  const indexBytes = await reader.readSmall(MIRROR_INDEX);
  if (!indexBytes) throw new BakeError(`${indexWhere}: missing from the mirror`, ExitCode.Untrusted);
  const actual = sha256Hex(indexBytes);
  if (actual !== listed)
    throw new BakeError(
      `${indexWhere}: sha256 ${actual} does not match ${listed} in the signed ${MIRROR_SUMS}`,
      ExitCode.Untrusted,
    );
  return { sums, index: parseReleaseIndex(Buffer.from(indexBytes).toString('utf8'), indexWhere), signer };
}
