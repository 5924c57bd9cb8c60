import semver from 'semver';

/** `go.versions` as written: one range, or one range per Go line the recipe bakes. */
export type GoVersions = string | string[];

export function goRanges(versions: GoVersions): string[] {
  return typeof versions === 'string' ? [versions] : versions;
}

/**
 * The Go line a range names, as targets and tags show it ("1.27" for "1.27.x" or ">=1.27.2
 * <1.28"): the line of the lowest version it admits. Undefined for an invalid range.
 */
export function goLineOfRange(range: string): string | undefined {
  const min = semver.validRange(range) ? semver.minVersion(range) : null;
  return min ? `${min.major}.${min.minor}` : undefined;
}
