import { canonicalJson } from '../../common/canonical-json';
import { sha256Hex } from '../../common/sha256';
import type { BootstrapSpec } from './types';

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
