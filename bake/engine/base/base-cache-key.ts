import { canonicalJson } from '../../common/canonical-json';
import { sha256Hex } from '../../common/sha256';
import type { Arch } from '../../recipe/types';

export interface BootstrapSpec {
  suite: string;
  arch: Arch;
  variant: 'minbase';
  /** Packages included in the root filesystem (ca-certificates always). */
  packages: string[];
  /** dpkg options written into the base (what it leaves out: docs, man pages, locales). */
  dpkgOptions?: string[];
  /** `mmdebstrap --version`: a different tool version may build a different tree. */
  toolVersion: string;
  /** The archive state the plan resolved the base's packages to (`sha256:` of their versions). */
  archiveDigest?: string;
  /** sha256 of each extra keyring trusted for the archive (it is copied into the base). */
  keyrings?: string[];
}

/** Sorted, de-duplicated, with ca-certificates: the order a recipe lists packages in does not matter. */
export function bootstrapPackages(recipePackages: string[]): string[] {
  return [...new Set(['ca-certificates', ...recipePackages])].sort();
}

export function bootstrapCacheKey(spec: BootstrapSpec): string {
  return sha256Hex(
    canonicalJson({
      suite: spec.suite,
      arch: spec.arch,
      variant: spec.variant,
      packages: bootstrapPackages(spec.packages),
      tool: spec.toolVersion,
      archive: spec.archiveDigest,
      keyrings: spec.keyrings?.length ? spec.keyrings : undefined,
      dpkg: spec.dpkgOptions?.length ? spec.dpkgOptions : undefined,
    }),
  );
}

/** `bake-base/bookworm:arm64-0123456789ab`: how a bootstrapped base is found again. */
export function bootstrapImageTag(spec: BootstrapSpec, key = bootstrapCacheKey(spec)): string {
  return `bake-base/${spec.suite}:${spec.arch}-${key.slice(0, 12)}`;
}
