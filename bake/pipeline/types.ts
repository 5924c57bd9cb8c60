import type { BuildProgressEvent } from '../engine/types';
import type { ReportFiles } from '../readiness/report-files';
import type { Report } from '../readiness/types';
import type { ImageKind } from '../recipe/types';

/**
 * How one target ended. `vetted`: every image passed and is tagged; `up-to-date`: vetted
 * images of the same inputs digest already existed, nothing was built; `rejected`: an image
 * failed a check; `unavailable`: its base image cannot be had here; `failed`: anything else.
 */
export type TargetStatus = 'vetted' | 'up-to-date' | 'rejected' | 'failed' | 'unavailable' | 'interrupted';

/** One image kind of a target after the pipeline. */
export interface ImageResult {
  kind: ImageKind;
  status: 'vetted' | 'up-to-date' | 'rejected';
  /** The image the tags point at (for vetted images: the checked image plus the verdict labels). */
  imageId: string;
  /** The image the readiness suite ran against. */
  checkedImageId: string;
  tags: string[];
  /** Absent for an up-to-date image (its report is the one recorded in its labels). */
  report?: Report;
  reportFiles?: ReportFiles;
  reportDigest: string;
  build?: { durationMs: number; steps: number; cachedSteps: number };
  checkMs?: number;
}

export interface TargetResult {
  target: string;
  status: TargetStatus;
  inputsDigest?: string;
  go?: { version: string; source: string };
  /** How the base image was had, when the pipeline got that far. */
  base?: { imageRef: string; digest: string; bootstrapped: boolean };
  images: ImageResult[];
  /** One line for the summary; the first line of the error for failures. */
  message?: string;
  exitCode?: number;
  durationMs: number;
}

/** Build progress of one image of a target, for views. */
export type TargetProgress = (label: string, event: BuildProgressEvent) => void;

/** Labels that record a readiness verdict on a vetted image. */
export const VERDICT_LABELS = {
  reportDigest: 'io.bake.readiness.report-digest',
  summary: 'io.bake.readiness.summary',
  checkedImage: 'io.bake.readiness.checked-image',
} as const;

/** Labels added at build time: what the plan cannot carry about itself. */
export const BUILD_LABELS = {
  inputsDigest: 'io.bake.inputs-digest',
  baseImage: 'io.bake.base.image',
  baseBootstrapped: 'io.bake.base.bootstrapped',
} as const;
