import type { CachedGoDistribution, GoDistribution } from '../golang/types';
import type { PinnedPackage, Plan, PlannedPackages, WarmCache } from '../plan/types';
import type { ImageKind, Target } from '../recipe/types';

/**
 * What rendering reads: the plan's resolved inputs, and none of what is derived from the
 * rendered files (their list, the inputs digest), so a plan can be completed from them.
 */
export interface RenderInput {
  target: Target;
  go: Pick<GoDistribution, 'filename' | 'sha256'>;
  /** The Go the builder stage runs on the build platform, when it is not `go` (another arch). */
  builderGo?: Pick<GoDistribution, 'sha256'>;
  /** Every timestamp the images carry (config, history, files the RUN steps write). */
  sourceDateEpoch: number;
  base: { ref: string };
  /** The Go environment of the toolchain image, in the order it is written. */
  env: Record<string, string>;
  labels: Record<string, string>;
  packages?: PlannedPackages;
  /** The standard-library cache of the toolchain image (absent: none). */
  warmCache?: WarmCache;
}

export interface RenderedFile {
  /** Path inside the build context, forward slashes. */
  path: string;
  mode: number;
  content: Buffer;
}

/** A build context in memory: a few KiB (the Go distribution comes from its own image). */
export interface RenderedContext {
  kind: ImageKind;
  files: RenderedFile[];
  /** The images its Dockerfile builds from, besides the base (the same for both kinds). */
  images: StageImages;
  /** The image of this kind's pinned package files, when it installs from one. */
  packages?: PackagesImage;
  /** The toolchain's last stage, which bake may write onto the stem itself (toolchain only). */
  policy?: PolicyStage;
}

/**
 * The toolchain image's last stage as data: the policy files (root-owned, as the context has
 * them), the Go environment and the image's settings. The Dockerfile's last stage says the same.
 */
export interface PolicyStage {
  /** The stage below it: what BuildKit builds when bake writes this stage. */
  stem: string;
  /** The context directory whose tree is copied to /. */
  dir: string;
  /** In the order the ENV instruction sets them. */
  env: [string, string][];
  labels: Record<string, string>;
  /** `uid:gid` */
  user: string;
  workdir: string;
}

/** An image of .deb files under /debs (PACKAGES_IMAGE): one kind's pinned packages. */
export interface PackagesImage {
  ref: string;
  pins: PinnedPackage[];
}

/** Images bake makes for a plan's builds (image-refs.ts), passed to the build as arguments. */
export interface StageImages {
  /** The target's Go distribution (GO_IMAGE). */
  go: string;
  /** The Go the builder stage runs on the build platform (GO_BUILD_IMAGE). */
  goBuild: string;
  /** The standard library's build cache for the target, one per Go release and arch (STD_CACHE_IMAGE). */
  stdCache: string;
  /** The builder stage's output for the target: the probe, tools and build cache (BIN_IMAGE). */
  bin: string;
}

/** A verified archive a context carries (only the Go distribution image's does). */
export interface ContextArchive {
  contextPath: string;
  sha256: string;
  /** The verified file in the download cache. */
  source: string;
}

/** A complete plan and the contexts its file lists were taken from. */
export interface PlanWithContexts {
  plan: Plan;
  contexts: RenderedContext[];
}

export interface PlannedTarget extends PlanWithContexts {
  /** The verified Go archive the plan names, in the download cache. */
  dist: CachedGoDistribution;
  /** The builder stage's Go archive, when the target's arch is not this machine's. */
  builderDist?: CachedGoDistribution;
}
