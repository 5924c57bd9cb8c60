import type { Plan } from '../plan/types';
import type { ImageKind } from '../recipe/types';

export interface ImageTags {
  /** e.g. "bake/debian12-go" or "127.0.0.1:5000/golden/debian12-go" */
  repository: string;
  /** Never moves: one per inputs digest and architecture. */
  immutable: string;
  /** Follow the newest vetted image of their Go line / patch release (per architecture). */
  moving: string[];
  /** Given to an image that failed its readiness suite, for inspection only. */
  rejected: string;
}

const KIND_SUFFIX: Record<ImageKind, string> = { toolchain: 'go', runtime: 'runtime' };

/**
 * Tag scheme: `<prefix>/<recipe>-go:<go version>-<yyyymmdd>-<inputs digest 12>-<arch>`.
 * The inputs digest makes the immutable tag unique per build input, so a second build on
 * the same day with different inputs never overwrites a vetted tag.
 */
export function imageTags(plan: Plan, kind: ImageKind, date: Date, prefix = 'bake'): ImageTags {
  const repository = `${prefix}/${plan.target.recipe}-${KIND_SUFFIX[kind]}`;
  const arch = plan.target.arch;
  const digest12 = plan.inputsDigest.replace(/^sha256:/, '').slice(0, 12);
  const day = date.toISOString().slice(0, 10).replace(/-/g, '');
  const version = plan.go.version;
  const line = version.split('.').slice(0, 2).join('.');
  return {
    repository,
    immutable: `${version}-${day}-${digest12}-${arch}`,
    moving: [`${line}-${arch}`, `${version}-${arch}`],
    rejected: `bake-rejected-${digest12}-${arch}`,
  };
}

/** Whether `tag` (without repository) is an immutable tag of this plan, on whatever day it was made. */
export function isImmutableTagOf(tag: string, plan: Plan): boolean {
  const digest12 = plan.inputsDigest.replace(/^sha256:/, '').slice(0, 12);
  return new RegExp(`^${plan.go.version.replace(/\./g, '\\.')}-\\d{8}-${digest12}-${plan.target.arch}$`).test(tag);
}
