import type { Logger } from '../common/log';
import type { CachedGoDistribution, GoDistribution, GoVersionPolicy, PolicyVerdict } from '../golang/types';
import type { GoSourceKind, ImageKind, Target } from '../recipe/types';

/** What planning needs besides the target: where Go may come from, and what is trusted. */
export interface PlanContext {
  recipesDir: string;
  cacheDir: string;
  policy: GoVersionPolicy;
  now: Date;
  logger: Logger;
  /** `--go-source`: overrides the recipe's order. */
  goSource?: GoSourceKind[];
  /** `--go-mirror`, else BAKE_GO_MIRROR. */
  goMirror?: string;
  /** `--trust-key` files (BAKE_TRUST_KEYS is read from `env`). */
  trustKeys: string[];
  env: NodeJS.ProcessEnv;
}

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
  /**
   * The Go the builder stage runs on the build platform when the target is another arch: the
   * same version, for this machine's arch. The probe and tools are cross-compiled with it.
   */
  builderGo?: GoDistribution;
  /** Every timestamp in the images: the Go release's (see source-date-epoch.ts). */
  sourceDateEpoch: number;
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
  /** The standard library compiled into the toolchain image's GOCACHE (absent: none). */
  warmCache?: WarmCache;
  /** Labels written into every image of the target (by the Dockerfile). */
  labels: Record<string, string>;
  /** Rendered build context files per image kind (the Go archive is listed by its sha256). */
  contexts: Record<ImageKind, PlannedFile[]>;
  inputsDigest: string;
}

/** A plan before its rendered files and digest are known. */
export type PlanCore = Omit<Plan, 'contexts' | 'inputsDigest'>;

/** A target as the plan stage leaves it: resolved and verified, waiting to be rendered. */
export interface ResolvedTarget {
  /** The verified Go archive the plan names, in the download cache. */
  dist: CachedGoDistribution;
  /** The builder's Go archive, when the target's arch is not this machine's. */
  builderDist?: CachedGoDistribution;
  core: PlanCore;
}

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

/** The standard-library build cache a toolchain image ships: which packages, built with which flags. */
export interface WarmCache {
  packages: string[];
  /** Build flags of the image's own policy that change what is compiled (`-trimpath`). */
  flags: string[];
}
