import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { tempPathFor, writeFileAtomic } from '../../common/atomic-write';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import { sha256File, sha256Hex } from '../../common/sha256';
import { shellQuote } from '../../common/shell-quote';
import type { Arch } from '../../recipe/types';
import { mergeMirrorIndex, renderMirrorIndex } from './go-mirror-index';
import { parseGoVersion } from '../go-version';
import { MIRROR_INDEX, MIRROR_SUMS, MIRROR_SUMS_SIGNATURE } from './mirror-source';
import { findLinuxArchive, parseReleaseIndex } from '../official/release-index';
import { formatSha256Sums } from './sha256sums';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { CachedGoDistribution, GoReleaseFile, GoReleaseIndex, GoSource } from '../types';
import type { WriteGoMirrorResult } from './types';

export interface WriteGoMirrorInput {
  dir: string;
  /** Semver ranges, e.g. ["1.22.x", "1.23.x"]: the newest stable release of each is mirrored. */
  versions: string[];
  arches: Arch[];
  /** Tried in order for each release; only an unreachable source moves on to the next. */
  sources: GoSource[];
  logger: Logger;
  /** Distributions fetched at once (a Debian repack keeps about one core busy). Default 2. */
  concurrency?: number;
}

/**
 * Creates or refreshes an offline Go mirror in `dir` (the layout mirror-source.ts reads):
 * the archives under their official names, index.json in the official format (merged with
 * the one already there) and SHA256SUMS over both. It never signs: the site signs SHA256SUMS
 * with its own key, and a signature of a SHA256SUMS this run changed is removed. Every write
 * is atomic, and a refresh with nothing new rewrites no byte.
 */
export async function writeGoMirror(input: WriteGoMirrorInput): Promise<WriteGoMirrorResult> {
  const { dir, logger } = input;
  for (const range of input.versions) {
    if (!semver.validRange(range))
      throw new BakeError(`--versions: "${range}" is not a semver range (e.g. 1.22.x)`, ExitCode.Usage);
  }
  await fs.mkdir(dir, { recursive: true });
  const existing = await readExistingIndex(dir);
  const jobs = input.arches.flatMap((arch) => input.versions.map((range) => ({ range, arch })));
  const distributions = await mapLimit(jobs, input.concurrency ?? 2, ({ range, arch }) =>
    fetchNewest(range, arch, input.sources, logger),
  );
  const changed: string[] = [];
  for (const dist of distributions) if (await placeArchive(dir, dist)) changed.push(dist.filename);

  const index = await keepPresent(dir, mergeMirrorIndex(existing, distributions), logger);
  const indexText = renderMirrorIndex(index);
  if (await replaceIfDifferent(join(dir, MIRROR_INDEX), indexText)) changed.push(MIRROR_INDEX);

  const sums = new Map(index.flatMap((r) => r.files.map((f) => [f.filename, f.sha256] as [string, string])));
  sums.set(MIRROR_INDEX, sha256Hex(indexText));
  const sumsText = formatSha256Sums(sums);
  const sumsPath = join(dir, MIRROR_SUMS);
  const signaturePath = join(dir, MIRROR_SUMS_SIGNATURE);
  if ((await readText(sumsPath)) !== sumsText) {
    // A signature over the old SHA256SUMS would fail verification; better none than a wrong one.
    if (
      await fs.rm(signaturePath).then(
        () => true,
        () => false,
      )
    )
      logger.warn(`removed ${signaturePath}: it signed the previous ${MIRROR_SUMS}`);
    await writeFileAtomic(sumsPath, sumsText);
    changed.push(MIRROR_SUMS);
  }
  const signed = await fs.stat(signaturePath).then(
    () => true,
    () => false,
  );
  const signCommand = signed
    ? undefined
    : `gpg --armor --detach-sign --output ${shellQuote(signaturePath)} ${shellQuote(sumsPath)}`;
  logger.info(`mirror ${dir}: ${changed.length === 0 ? 'up to date' : `updated ${changed.join(', ')}`}`);
  if (signCommand) logger.info(`sign it with the site's key: ${signCommand}`);
  return { files: [...sums.keys(), MIRROR_SUMS].sort(), changed, distributions, signCommand };
}

/** The newest stable release in `range` for `arch` with a Linux tarball, or undefined. */
export function newestStableArchive(index: GoReleaseIndex, range: string, arch: Arch): GoReleaseFile | undefined {
  let best: { version: string; file: GoReleaseFile } | undefined;
  for (const release of index) {
    const parsed = parseGoVersion(release.version);
    const file = findLinuxArchive(release, arch);
    if (!release.stable || !parsed || parsed.prerelease || !file || !semver.satisfies(parsed.semver, range)) continue;
    if (!best || semver.gt(parsed.semver, best.version)) best = { version: parsed.semver, file };
  }
  return best?.file;
}

async function fetchNewest(
  range: string,
  arch: Arch,
  sources: GoSource[],
  logger: Logger,
): Promise<CachedGoDistribution> {
  const unreachable: string[] = [];
  for (const source of sources) {
    try {
      const file = newestStableArchive(await source.index(arch), range, arch);
      if (!file)
        throw new BakeError(
          `no stable Go release matches ${range} for ${arch} in the ${source.kind} source (${source.location})`,
          ExitCode.Unavailable,
        );
      const started = Date.now();
      const dist = await source.fetch(file, arch);
      logger.info(
        `${range} ${arch}: ${dist.filename} from ${source.kind} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      return dist;
    } catch (err) {
      if (!(err instanceof SourceUnavailableError)) throw err;
      unreachable.push(`${source.kind} (${errorMessage(err)})`);
      logger.warn(`${source.kind} source (${source.location}) unreachable for ${range} ${arch}: ${errorMessage(err)}`);
    }
  }
  const tried = unreachable.length ? `: ${unreachable.join('; ')}` : ' (no Go source configured)';
  throw new BakeError(
    `no Go source left for ${range} ${arch}${tried}`,
    ExitCode.Unavailable,
    'use --from official|mirror|debian',
  );
}

/** Copies a verified archive into the mirror unless the same bytes are there; true when written. */
async function placeArchive(dir: string, dist: CachedGoDistribution): Promise<boolean> {
  const dest = join(dir, dist.filename);
  const present = await sha256File(dest).catch(() => undefined);
  if (present?.sha256 === dist.sha256) return false;
  const tmp = tempPathFor(dest);
  try {
    await fs.copyFile(dist.path, tmp);
    const copied = await sha256File(tmp);
    if (copied.sha256 !== dist.sha256)
      throw new BakeError(`${dest}: copy has sha256 ${copied.sha256}, expected ${dist.sha256}`, ExitCode.Failure);
    await fs.chmod(tmp, 0o644);
    await fs.rename(tmp, dest);
    return true;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Index entries whose archive is in the mirror, each checked against the file: an archive
 * that no longer matches its entry is an error (SHA256SUMS would otherwise bless it), a
 * missing one is dropped with a warning.
 */
async function keepPresent(dir: string, index: GoReleaseIndex, logger: Logger): Promise<GoReleaseIndex> {
  const kept: GoReleaseIndex = [];
  for (const release of index) {
    const files: GoReleaseFile[] = [];
    for (const file of release.files) {
      const actual = await sha256File(join(dir, file.filename)).catch(() => undefined);
      if (!actual) {
        logger.warn(`${join(dir, MIRROR_INDEX)}: dropping ${file.filename}, which is not in the mirror`);
        continue;
      }
      if (actual.sha256 !== file.sha256 || actual.size !== file.size) {
        throw new BakeError(
          `${join(dir, file.filename)}: sha256 ${actual.sha256} (${actual.size} bytes) ` +
            `differs from ${MIRROR_INDEX}'s ${file.sha256} (${file.size} bytes); remove the file or its entry`,
          ExitCode.Untrusted,
        );
      }
      files.push(file);
    }
    if (files.length > 0) kept.push({ ...release, files });
  }
  return kept;
}

async function readExistingIndex(dir: string): Promise<GoReleaseIndex> {
  const path = join(dir, MIRROR_INDEX);
  const text = await readText(path);
  return text === undefined ? [] : parseReleaseIndex(text, path);
}

async function replaceIfDifferent(path: string, text: string): Promise<boolean> {
  if ((await readText(path)) === text) return false;
  await writeFileAtomic(path, text);
  return true;
}

async function readText(path: string): Promise<string | undefined> {
  return fs.readFile(path, 'utf8').catch(() => undefined);
}

/** Runs `fn` over `items` with at most `limit` at once, results in input order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
