/**
 * Go's own version strings ("go1.22.12", "go1.22" for an old x.y.0, "go1.23rc1") as semver,
 * so ranges like "1.22.x" can be matched with the semver package.
 */
export interface GoVersion {
  /** "1.22.12", "1.22.0", or "1.23.0-rc.1" for a pre-release */
  semver: string;
  prerelease: boolean;
}

const GO_VERSION = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?$/;

export function parseGoVersion(version: string): GoVersion | undefined {
  const m = GO_VERSION.exec(version);
  if (!m) return undefined;
  const [, major, minor = '0', patch = '0', pre, preNumber] = m;
  const core = `${Number(major)}.${Number(minor)}.${Number(patch)}`;
  return pre
    ? { semver: `${core}-${pre}.${Number(preNumber)}`, prerelease: true }
    : { semver: core, prerelease: false };
}

/** "1.22.12" from "go1.22.12"; throws on a string that is not a Go version (callers validated it). */
export function goVersionToSemver(version: string): string {
  const parsed = parseGoVersion(version);
  if (!parsed) throw new Error(`not a Go version: ${version}`);
  return parsed.semver;
}

/** The policy line of a semver version: "1.22" for "1.22.12". */
export function goLine(semver: string): string {
  return semver.split('.').slice(0, 2).join('.');
}
