import type { Baseline } from '../drift/types';
import type { BuildProgressEvent, BuildSecret } from '../engine/types';
import type { ModuleCredentials } from '../golang/modules/types';
import type { ReportFiles } from '../readiness/report-files';
import type { Report } from '../readiness/types';
import type { ImageKind } from '../recipe/types';

/**
 * How one target ended. `vetted`: every image passed and is tagged; `up-to-date`: the engine
 * already had vetted images of the same inputs, nothing was built; `skipped`: the catalog
 * already records these inputs as vetted, nothing was touched; `rejected`: an image failed a
 * check; `unavailable`: its base image or Go cannot be had here; `failed`: anything else.
 */
export type TargetStatus = 'vetted' | 'up-to-date' | 'skipped' | 'rejected' | 'failed' | 'unavailable' | 'interrupted';

/** One image kind of a target after the pipeline. */
export interface ImageResult {
  kind: ImageKind;
  status: 'vetted' | 'up-to-date' | 'rejected';
  /** The image the readiness suite ran against, and the tags point at. */
  imageId: string;
  tags: string[];
  /** The immutable tag (`repository:tag`) of a vetted or up-to-date image. */
  immutableRef?: string;
  /** Absent for an up-to-date image (its report is the one the catalog records). */
  report?: Report;
  reportFiles?: ReportFiles;
  reportDigest: string;
  /** `contextBytes`: the context uploaded for this image (the Go and builder images aside). */
  build?: {
    durationMs: number;
    steps: number;
    cachedSteps: number;
    contextBytes: number;
    /** When the build started and ended (ISO times), for the image's provenance. */
    startedAt?: string;
    finishedAt?: string;
  };
  checkMs?: number;
  /** What was vetted, captured after the suite passed (absent for an up-to-date image: the catalog has it). */
  baseline?: Baseline;
}

export interface TargetResult {
  target: string;
  status: TargetStatus;
  /** The engine that built it. */
  engine?: string;
  inputsDigest?: string;
  go?: { version: string; source: string };
  /** How the base image was had, when the pipeline got that far. */
  base?: { imageRef: string; digest: string; bootstrapped: boolean };
  images: ImageResult[];
  /** With `bake nightly --with-ami`: the target's VM template. */
  ami?: { status: 'vetted' | 'skipped' | 'rejected' | 'failed'; amiId?: string; message?: string };
  /** Why it was rebuilt: what changed since the vetted image it replaces (nightly). */
  changes?: string[];
  /** Why it was built again from scratch with unchanged inputs: an image of them was revoked. */
  rebuildReason?: string;
  /** One line for the summary; the first line of the error for failures. */
  message?: string;
  exitCode?: number;
  durationMs: number;
}

/**
 * BuildKit features a run asks for (`bake build --cache-to/--cache-from/--provenance`), each
 * needing `docker buildx` and the engine's containerd image store; an engine without them
 * fails the build with what to enable, never silently drops a feature.
 */
export interface BuildkitRequest {
  /** A registry repository (HOST/REPO) every image's build cache is exported to (mode=max). */
  cacheTo?: string;
  /** Repositories whose exported build cache the builds may reuse (a missing tag is no error). */
  cacheFrom?: string[];
  /** BuildKit's SLSA provenance attestation (mode=max) in each image's index, pushed with it. */
  provenance?: boolean;
}

/** Build progress of one image of a target, for views. */
export type TargetProgress = (label: string, event: BuildProgressEvent) => void;

/** Labels added at build time: what the plan cannot carry about itself. */
export const BUILD_LABELS = {
  inputsDigest: 'io.bake.inputs-digest',
  baseImage: 'io.bake.base.image',
  baseBootstrapped: 'io.bake.base.bootstrapped',
} as const;

/** A target's result with the plan it was baked from (absent when planning failed). */
export interface BakedTarget {
  result: TargetResult;
  plan?: import('../plan/types').Plan;
}

/**
 * What a run gives the builder stage for module tools: the site's module proxy from the command
 * line or environment (it overrides the recipe's `go.proxy`) and the credential files. Neither
 * is an input of the plan: where modules come from and who may fetch them does not change what
 * they are, and their hashes are checked in the build.
 */
export interface ModuleAccess {
  proxy?: { url: string; source: string };
  credentials?: ModuleCredentials;
}

export interface ModuleBuild {
  proxy: { url: string; source: string };
  buildArgs: Record<string, string>;
  secrets: BuildSecret[];
  credentials?: ModuleCredentials;
}
