import { PackageURL } from 'packageurl-js';
import type { GoDistributionInfo, GoModule, ImageContents, OsPackage } from './types';

/** `pkg:deb/debian/git@1:2.39.5-0+deb12u3?arch=amd64&distro=debian-12`, as scanners match them. */
export function osPackagePurl(pkg: OsPackage, distro: ImageContents['distro']): string {
  const namespace = distro?.id ?? (pkg.manager === 'dpkg' ? 'debian' : 'redhat');
  const qualifiers: Record<string, string> = { arch: pkg.arch };
  if (distro?.versionId) qualifiers.distro = `${distro.id}-${distro.versionId}`;
  if (pkg.source) qualifiers.upstream = pkg.source;
  return new PackageURL(
    pkg.manager === 'dpkg' ? 'deb' : 'rpm',
    namespace,
    pkg.name,
    pkg.version,
    qualifiers,
  ).toString();
}

/** `pkg:golang/github.com/x/y@v1.2.3`: the module path's last element is the name. */
export function goModulePurl(module: Pick<GoModule, 'path' | 'version'>): string {
  const slash = module.path.lastIndexOf('/');
  const namespace = slash > 0 ? module.path.slice(0, slash) : undefined;
  const name = module.path.slice(slash + 1);
  return new PackageURL('golang', namespace, name, module.version || undefined, undefined).toString();
}

/** The Go distribution: a generic package pinned by its archive's checksum. */
export function goDistributionPurl(go: GoDistributionInfo): string {
  return new PackageURL(
    'generic',
    undefined,
    'go',
    go.version,
    go.sha256 ? { checksum: `sha256:${go.sha256}` } : undefined,
  ).toString();
}

/** `pkg:oci/debian12-go@sha256:...?repository_url=host/prefix/debian12-go&arch=amd64`. */
export function imagePurl(image: ImageContents['image']): string {
  const repository = image.repository ?? image.ref.replace(/[@:][^/]*$/, '');
  const name = repository.split('/').pop() ?? repository;
  const qualifiers: Record<string, string> = { arch: image.architecture };
  if (image.repository) qualifiers.repository_url = image.repository;
  return new PackageURL('oci', undefined, name, image.manifestDigest ?? image.id, qualifiers).toString();
}

/** Where the official distribution publishes an archive, for a reference in the SBOM (never a mirror's URL). */
export function officialGoUrl(go: GoDistributionInfo): string | undefined {
  return go.source === 'official' && go.filename ? `https://dl.google.com/go/${go.filename}` : undefined;
}
