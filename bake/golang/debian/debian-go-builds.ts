import semver from 'semver';
import type { Arch } from '../../recipe/types';
import type { DebianGoBuild, DebianPackage, DebianGoRecord } from './types';
import { goLineOfPackage, goVersionFromDebian } from './debian-go-version';
import { compareDebianVersions } from '../../common/debian-version';
import { goVersionToSemver } from '../go-version';
import { linuxArchiveName } from '../official/release-index';
import type { GoRelease } from '../types';

/**
 * The Go releases among Packages entries: each golang-1.NN-go for `arch` paired with the
 * golang-1.NN-src of its source version (a binary-only rebuild "+b1" of -go keeps the
 * -src it was built with); when several Debian versions package the same
 * Go release (a rebuild, a backport and the original), the highest Debian version wins.
 * Newest Go release first, like the official index.
 */
export function selectDebianGoBuilds(packages: DebianPackage[], arch: Arch): DebianGoBuild[] {
  const byGoVersion = new Map<string, DebianGoBuild>();
  for (const go of packages) {
    const line = goLineOfPackage(go.package);
    if (!line || !go.package.endsWith('-go') || go.architecture !== arch) continue;
    const mapped = goVersionFromDebian(go.version);
    // A package whose version is not of its own line (golang-1.22-go 1.23.1) is not what it claims.
    if (!mapped || /^\d+\.\d+/.exec(mapped.version)?.[0] !== line) continue;
    const src = packages.find(
      (p) => p.package === `golang-${line}-src` && p.version === go.sourceVersion && p.architecture === 'all',
    );
    if (!src) continue;
    const known = byGoVersion.get(mapped.version);
    if (known && compareDebianVersions(known.go.version, go.version) >= 0) continue;
    byGoVersion.set(mapped.version, { goVersion: mapped.version, stable: mapped.stable, arch, go, src });
  }
  return [...byGoVersion.values()].sort((a, b) =>
    semver.rcompare(goVersionToSemver(`go${a.goVersion}`), goVersionToSemver(`go${b.goVersion}`)),
  );
}

/**
 * A build as an official-index release. The repacked archive's sha256 and size exist only
 * once it has been repacked: they come from the cache's record when there is one, else they
 * are "" and 0 (fetch() returns the real values, and the mirror writer uses those).
 */
export function debianBuildRelease(build: DebianGoBuild, record?: DebianGoRecord): GoRelease {
  const version = `go${build.goVersion}`;
  return {
    version,
    stable: build.stable,
    files: [
      {
        filename: linuxArchiveName(version, build.arch),
        os: 'linux',
        arch: build.arch,
        version,
        sha256: record?.sha256 ?? '',
        size: record?.size ?? 0,
        kind: 'archive',
      },
    ],
  };
}
