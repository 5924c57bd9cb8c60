import semver from 'semver';
import { BakeError, ExitCode } from '../common/errors';
import type { Arch } from '../recipe/types';
import { parseGoVersion } from './go-version';
import { findLinuxArchive } from './official/release-index';
import type { GoReleaseFile, GoReleaseIndex, GoVersionPolicy, PolicyVerdict } from './types';
import { evaluateVersion } from './version-policy';

export interface ResolvedRelease {
  file: GoReleaseFile;
  /** "1.22.12" */
  version: string;
  verdict: PolicyVerdict;
}

/** How many available versions an error message lists (newest first). */
const SHOWN_AVAILABLE = 8;

/**
 * The newest stable release satisfying `range` ("1.22.x") that has a Linux tarball for
 * `arch`, then judged by the policy (which throws PolicyRefusedError). Pre-releases never
 * match, even when the index marks them stable by mistake. `source` names the index in errors.
 */
export function resolveRelease(
  index: GoReleaseIndex,
  range: string,
  arch: Arch,
  policy: GoVersionPolicy,
  now: Date,
  source = 'the release index',
): ResolvedRelease {
  if (!semver.validRange(range))
    throw new BakeError(`Go version range "${range}" is not a valid semver range`, ExitCode.InvalidRecipe);
  const candidates = index.flatMap((release) => {
    const parsed = parseGoVersion(release.version);
    const file = findLinuxArchive(release, arch);
    return release.stable && parsed && !parsed.prerelease && file ? [{ version: parsed.semver, file }] : [];
  });
  candidates.sort((a, b) => semver.rcompare(a.version, b.version));
  const best = candidates.find((c) => semver.satisfies(c.version, range));
  if (!best) {
    const shown = [...new Set(candidates.map((c) => c.version))];
    const available =
      shown.length === 0
        ? 'none'
        : shown.slice(0, SHOWN_AVAILABLE).join(', ') + (shown.length > SHOWN_AVAILABLE ? ', ...' : '');
    throw new BakeError(
      `no Go release matches ${range} for ${arch} in ${source}; available: ${available}`,
      ExitCode.Unavailable,
    );
  }
  const known = candidates.map((c) => c.version);
  return { file: best.file, version: best.version, verdict: evaluateVersion(policy, best.version, now, known) };
}
