import type { GoDistribution, PolicyVerdict } from '../golang/types';
import type { ImageKind, Target } from '../recipe/types';

export interface PlannedFile {
  /** Path inside the build context, e.g. "Dockerfile" or "files/etc/profile.d/go-env.sh". */
  path: string;
  sha256: string;
  size: number;
}

/**
 * Everything one target's build depends on, resolved to exact values.
 * `inputsDigest` is the sha256 of the canonical JSON of every other field, so the same
 * inputs always give the same digest and any change to them changes it.
 */
export interface Plan {
  schema: 'bake.plan/v1';
  target: Target;
  go: GoDistribution;
  base: {
    ref: string;
    digest: string;
    bootstrap?: { suite: string; variant: 'minbase' };
    /** The archive state a bootstrapped base is built from: its packages' resolved versions. */
    archive?: BaseArchiveState;
  };
  /** OS packages of each image kind, resolved to exact versions (absent in plans made before pinning). */
  packages?: PlannedPackages;
  policy: PolicyVerdict;
  /** The Go environment every process in the image sees (policy values plus paths). */
  env: Record<string, string>;
  /** Labels written into every image of the target (by the Dockerfile). */
  labels: Record<string, string>;
  /** Rendered build context files per image kind (the Go archive is listed by its sha256). */
  contexts: Record<ImageKind, PlannedFile[]>;
  inputsDigest: string;
}

/** A plan before its rendered files and digest are known: what rendering takes. */
export type PlanCore = Omit<Plan, 'contexts' | 'inputsDigest'>;

/** A package resolved from the archive's signed indexes. */
export interface PinnedPackage {
  name: string;
  version: string;
  /** Debian architecture ("amd64", "all"). */
  arch: string;
}

/** What a bootstrapped base holds, as the archive resolves it today: the bootstrap's cache key. */
export interface BaseArchiveState {
  suite: string;
  arch: string;
  /** `sha256:` of the canonical package → version map: changes only when a base package does. */
  digest: string;
  packages: Record<string, string>;
}

/**
 * Exact versions of what each image kind installs (what the recipe names and what that pulls
 * in), or why they are not pinned (the family's repositories are not reachable from here).
 */
export interface PlannedPackages {
  pinned: boolean;
  manager: 'apt' | 'dnf';
  images: Partial<Record<ImageKind, PinnedPackage[]>>;
  note?: string;
}
