import semver from 'semver';
import { goLine } from './go-version';
import type { GoPolicyLine, GoVersionPolicy } from './types';

/**
 * The newest patch of each Go line this version of bake knows of. Used only where no release
 * index has been read (`bake list`, `bake recipe check`), and as a floor for every index: a
 * stale mirror or an old suite cannot make a line "newest" that upstream has left behind.
 */
export const KNOWN_GO_RELEASES: readonly string[] = ['1.27.4', '1.26.11', '1.25.12'];

/**
 * When a line left upstream support (the release of the line two after it), for the lines
 * where that date is history; refusals quote it.
 */
export const LEFT_UPSTREAM_SUPPORT: Readonly<Record<string, string>> = {
  '1.20': '2024-02-06',
  '1.21': '2024-08-13',
  '1.22': '2025-02-11',
  '1.23': '2025-08-12',
};

/** Upstream supports the two newest stable lines. */
export const DEFAULT_UPSTREAM_LINES = 2;

/**
 * The supported lines in force: the `policy.upstreamLines` newest lines among `known` (exact
 * stable versions: a release index and KNOWN_GO_RELEASES), each from its newest patch, then
 * the site's lines of policy.yaml on top (a line kept past upstream support with an end date,
 * a minimum pinned). Newest line first.
 */
export function effectiveLines(policy: GoVersionPolicy, known: readonly string[]): GoPolicyLine[] {
  const newestPatch = new Map<string, string>();
  for (const version of [...known, ...KNOWN_GO_RELEASES]) {
    if (!semver.valid(version) || semver.prerelease(version)) continue;
    const line = goLine(version);
    const seen = newestPatch.get(line);
    if (!seen || semver.gt(version, seen)) newestPatch.set(line, version);
  }
  const byLine = new Map<string, GoPolicyLine>();
  const upstream = [...newestPatch.keys()]
    .sort((a, b) => semver.rcompare(`${a}.0`, `${b}.0`))
    .slice(0, policy.upstreamLines);
  if (policy.upstreamLines > 0) {
    for (const line of upstream) {
      const patch = newestPatch.get(line)!;
      byLine.set(line, { line, minimumPatch: patch, recommended: patch, origin: 'upstream' });
    }
  }
  for (const site of policy.lines) {
    const base = byLine.get(site.line);
    const patch = newestPatch.get(site.line) ?? `${site.line}.0`;
    const minimumPatch = site.minimumPatch ?? base?.minimumPatch ?? patch;
    const recommended =
      site.recommended ?? base?.recommended ?? (semver.gt(patch, minimumPatch) ? patch : minimumPatch);
    // A line upstream has left is supported only by an explicit end date.
    if (!base && !site.endOfSupport) continue;
    byLine.set(site.line, {
      line: site.line,
      minimumPatch,
      recommended,
      ...(site.endOfSupport ? { endOfSupport: site.endOfSupport } : {}),
      origin: base ? 'upstream' : 'site',
    });
  }
  return [...byLine.values()].sort((a, b) => semver.rcompare(`${a.line}.0`, `${b.line}.0`));
}
