import type { CachedGoDistribution, GoDistribution } from '../golang/types';
import type { Plan, PlannedPackages } from '../plan/types';
import type { ImageKind, Target } from '../recipe/types';

/**
 * What rendering reads: the plan's resolved inputs, and none of what is derived from the
 * rendered files (their list, the inputs digest), so a plan can be completed from them.
 */
export interface RenderInput {
  target: Target;
  go: Pick<GoDistribution, 'filename' | 'sha256'>;
  base: { ref: string };
  /** The Go environment of the toolchain image, in the order it is written. */
  env: Record<string, string>;
  labels: Record<string, string>;
  packages?: PlannedPackages;
}

export interface RenderedFile {
  /** Path inside the build context, forward slashes. */
  path: string;
  mode: number;
  content: Buffer;
}

/** A build context in memory: everything but the Go archive, which is referenced by path. */
export interface RenderedContext {
  kind: ImageKind;
  files: RenderedFile[];
  goArchive: { contextPath: string; sha256: string };
}

/** A complete plan and the contexts its file lists were taken from. */
export interface PlanWithContexts {
  plan: Plan;
  contexts: RenderedContext[];
}

export interface PlannedTarget extends PlanWithContexts {
  /** The verified Go archive the plan names, in the download cache. */
  dist: CachedGoDistribution;
}
