import { BakeError, ExitCode, errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { GoSourceKind, Target } from '../recipe/types';
import { createDebianGoSource } from './debian/debian-source';
import type { DownloadCache } from './download-cache';
import { createMirrorGoSource } from './mirror/mirror-source';
import { createOfficialGoSource } from './official/official-source';
import { resolveRelease } from './resolve-release';
import { SourceUnavailableError } from './source-unavailable-error';
import type {
  CachedGoDistribution,
  GoDistribution,
  GoReleaseFile,
  GoSource,
  GoVersionPolicy,
  PolicyVerdict,
  TrustedKey,
} from './types';

/** The flags that give bake another way to a Go distribution, named when none is left. */
export const GO_SOURCE_FLAGS_HINT =
  "use --go-mirror DIR|URL (an offline mirror) or --go-source debian (Debian's Go packages)";

export interface CreateGoSourcesInput {
  /** Kinds in order of preference, duplicates ignored. */
  kinds: GoSourceKind[];
  /** Mirror location (directory or URL), when one is configured. */
  mirror?: string;
  cache: DownloadCache;
  /** Where the Debian source keeps its apt state; default: the download cache's directory. */
  cacheDir?: string;
  trustedKeys: TrustedKey[];
  logger: Logger;
  /** Replaces the Debian source (tests). */
  debian?: (options: { cache: DownloadCache; cacheDir: string; logger: Logger }) => GoSource;
}

/**
 * The Go sources of one run, in the order they are tried. Precedence (applied by the caller,
 * see cli/session.ts): a `--go-source` list overrides the recipe's `go.sources` order; the
 * mirror location comes from `--go-mirror`, else BAKE_GO_MIRROR, else the recipe's `go.mirror`.
 * A `mirror` kind without a location is skipped with a note, not an error: a recipe may allow
 * a mirror that only some sites have.
 */
export function createGoSources(input: CreateGoSourcesInput): GoSource[] {
  const { cache, logger } = input;
  const sources: GoSource[] = [];
  for (const kind of [...new Set(input.kinds)]) {
    if (kind === 'official') sources.push(createOfficialGoSource({ cache, logger }));
    else if (kind === 'mirror') {
      if (input.mirror)
        sources.push(createMirrorGoSource({ location: input.mirror, cache, trustedKeys: input.trustedKeys, logger }));
      else
        logger.info(
          'Go source "mirror" skipped: ' +
            "no mirror location (--go-mirror DIR|URL, BAKE_GO_MIRROR or the recipe's go.mirror)",
        );
    } else if (kind === 'debian') {
      sources.push((input.debian ?? createDebianGoSource)({ cache, cacheDir: input.cacheDir ?? cache.dir, logger }));
    }
  }
  return sources;
}

export interface ResolveGoInput {
  target: Target;
  policy: GoVersionPolicy;
  now: Date;
  sources: GoSource[];
  logger: Logger;
  /** false: resolve the version only, fetch nothing (`bake list --resolve`). Default true. */
  fetch?: boolean;
}

export interface ResolvedGoDistribution {
  /** A CachedGoDistribution when fetched; a GoDistribution with empty verifiedBy when only resolved. */
  dist: CachedGoDistribution | GoDistribution;
  verdict: PolicyVerdict;
}

/**
 * Resolves the target's Go range against each source in turn and fetches the verified archive.
 * Only an unreachable source (SourceUnavailableError) moves on to the next one, said in one
 * line; every other failure (a bad signature, a policy refusal, no matching release) stops
 * the run, since falling back there would hide an attack or a mistake.
 */
export async function resolveGoDistribution(input: ResolveGoInput): Promise<ResolvedGoDistribution> {
  const { target, logger } = input;
  const unreachable: string[] = [];
  for (const [i, source] of input.sources.entries()) {
    try {
      const index = await source.index(target.arch);
      const { file, version, verdict } = resolveRelease(
        index,
        target.go.versions,
        target.arch,
        input.policy,
        input.now,
        describeSource(source),
      );
      if (input.fetch === false) return { dist: resolvedOnly(file, version, target, source), verdict };
      return { dist: await source.fetch(file, target.arch), verdict };
    } catch (err) {
      if (!(err instanceof SourceUnavailableError)) throw err;
      const next = input.sources[i + 1];
      const line = `${describeSource(source)} unreachable (${errorMessage(err)})`;
      unreachable.push(line);
      if (next) logger.warn(`${line}; trying ${next.kind}`);
    }
  }
  const tried = unreachable.length ? `: ${unreachable.join('; ')}` : ' (no Go source configured)';
  throw new BakeError(`no Go source left for ${target.name}${tried}; ${GO_SOURCE_FLAGS_HINT}`, ExitCode.Unavailable);
}

/** How a source is named in messages: "official downloads", "Go mirror /srv/go", ... */
export function describeSource(source: GoSource): string {
  if (source.kind === 'official') return 'official downloads';
  if (source.kind === 'mirror') return `Go mirror ${source.location}`;
  return `Debian's Go packages (${source.location})`;
}

function resolvedOnly(file: GoReleaseFile, version: string, target: Target, source: GoSource): GoDistribution {
  return {
    version,
    arch: target.arch,
    source: source.kind,
    filename: file.filename,
    sha256: file.sha256,
    size: file.size,
    origin: `${source.location.replace(/\/$/, '')}/${file.filename}`,
    verifiedBy: [],
  };
}
