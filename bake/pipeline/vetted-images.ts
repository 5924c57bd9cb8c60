import type { ImageEngine } from '../engine/types';
import type { Plan } from '../plan/types';
import { imageTags } from '../registry/image-tags';
import type { VerdictStore } from '../registry/types';
import type { ImageKind } from '../recipe/types';
import { BUILD_LABELS } from './types';

export interface VettedImage {
  id: string;
  repository: string;
  tags: string[];
  reportDigest: string;
}

/**
 * A vetted image of exactly this plan and kind already in the engine: built from the same
 * inputs digest, recorded as vetted (with its report still kept), and still tagged in the
 * target's repository. This is how an unchanged target costs one engine query, not a build.
 */
export async function findVettedImage(
  engine: Pick<ImageEngine, 'listImages'>,
  verdicts: Pick<VerdictStore, 'verdictOf' | 'getReport'>,
  plan: Plan,
  kind: ImageKind,
  tagPrefix: string,
): Promise<VettedImage | undefined> {
  const { repository } = imageTags(plan, kind, new Date(0), tagPrefix);
  const candidates = await engine.listImages(`${BUILD_LABELS.inputsDigest}=${plan.inputsDigest}`);
  for (const image of candidates) {
    const tags = image.tags.filter((t) => t.startsWith(`${repository}:`));
    if (image.labels['io.bake.kind'] !== kind || tags.length === 0) continue;
    const reportDigest = await verdicts.verdictOf(image.id);
    if (reportDigest && (await verdicts.getReport(reportDigest)))
      return { id: image.id, repository, tags, reportDigest };
  }
  return undefined;
}
