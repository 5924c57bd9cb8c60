import semver from 'semver';
import { parseGoVersion } from '../go-version';
import type { GoDistribution, GoRelease, GoReleaseFile, GoReleaseIndex } from '../types';

/**
 * An existing mirror index with freshly mirrored distributions added: a file of the same
 * name is replaced, everything else is kept. Releases newest first (as go.dev lists them),
 * files by name, so the same content always serializes to the same bytes.
 */
export function mergeMirrorIndex(existing: GoReleaseIndex, added: GoDistribution[]): GoReleaseIndex {
  const releases = new Map<string, GoRelease>();
  for (const release of existing) {
    const known = releases.get(release.version);
    releases.set(
      release.version,
      known ? { ...known, files: [...known.files, ...release.files] } : { ...release, files: [...release.files] },
    );
  }
  for (const dist of added) {
    const version = `go${dist.version}`;
    const release = releases.get(version) ?? { version, stable: !parseGoVersion(version)?.prerelease, files: [] };
    const file: GoReleaseFile = {
      filename: dist.filename,
      os: 'linux',
      arch: dist.arch,
      version,
      sha256: dist.sha256,
      size: dist.size,
      kind: 'archive',
    };
    releases.set(version, { ...release, files: [...release.files.filter((f) => f.filename !== dist.filename), file] });
  }
  return [...releases.values()]
    .map((r) => ({ ...r, files: dedupe(r.files).sort((a, b) => compareText(a.filename, b.filename)) }))
    .sort(newestFirst);
}

/** The index as go.dev serves it (one-space indentation, its field order), plus a final newline. */
export function renderMirrorIndex(index: GoReleaseIndex): string {
  const ordered = index.map((r) => ({
    version: r.version,
    stable: r.stable,
    files: r.files.map((f) => ({
      filename: f.filename,
      os: f.os,
      arch: f.arch,
      version: f.version,
      sha256: f.sha256,
      size: f.size,
      kind: f.kind,
    })),
  }));
  return `${JSON.stringify(ordered, null, 1)}\n`;
}

function dedupe(files: GoReleaseFile[]): GoReleaseFile[] {
  const byName = new Map<string, GoReleaseFile>();
  for (const f of files) byName.set(f.filename, f);
  return [...byName.values()];
}

function newestFirst(a: GoRelease, b: GoRelease): number {
  const va = parseGoVersion(a.version)?.semver;
  const vb = parseGoVersion(b.version)?.semver;
  if (va && vb) return semver.rcompare(va, vb) || compareText(a.version, b.version);
  if (va || vb) return va ? -1 : 1;
  return compareText(a.version, b.version);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
