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

/**
 * What is wrong with a Go range, or undefined: not a semver range (or not only version
 * characters), a range no version satisfies, or one with a side that admits any version
 * (`*`, `x`, an empty side of `||`), which would take whatever the newest release is.
 */
export function goRangeProblem(range: string): string | undefined {
  const example = 'a semver range of Go versions such as "1.27.x" or ">=1.27.4 <1.28"';
  if (!/^[\d.xX*<>=~^| -]+$/.test(range) || semver.validRange(range) === null) return example;
  for (const side of range.split('||')) {
    const s = side.trim();
    if (s === '' || (semver.satisfies('0.0.0', s) && semver.satisfies('9999.0.0', s))) {
      const which = s === '' ? ' (an empty side of ||)' : ` ("${s}")`;
      return `"${range}" admits any Go version${which}; name a line such as "1.27.x"`;
    }
  }
  if (semver.minVersion(range) === null) return `"${range}" matches no version at all`;
  return undefined;
}
