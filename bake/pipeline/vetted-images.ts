import type { ImageEngine } from '../engine/types';
import type { Plan } from '../plan/types';
import { imageTags } from '../registry/image-tags';
import type { ImageKind } from '../recipe/types';
import { BUILD_LABELS, VERDICT_LABELS } from './types';

export interface VettedImage {
  id: string;
  checkedId: string;
  repository: string;
  tags: string[];
  reportDigest: string;
}

/**
 * A vetted image of exactly this plan and kind already in the engine: built from the same
 * inputs digest, carrying a readiness verdict, and still tagged in the target's repository.
 * This is how an unchanged target costs one engine query instead of a build.
 */
export async function findVettedImage(
  engine: Pick<ImageEngine, 'listImages'>,
  plan: Plan,
  kind: ImageKind,
  tagPrefix: string,
): Promise<VettedImage | undefined> {
  const { repository } = imageTags(plan, kind, new Date(0), tagPrefix);
  const candidates = await engine.listImages(`${BUILD_LABELS.inputsDigest}=${plan.inputsDigest}`);
  for (const image of candidates.sort((a, b) => b.created.getTime() - a.created.getTime())) {
    const reportDigest = image.labels[VERDICT_LABELS.reportDigest];
    const tags = image.tags.filter((t) => t.startsWith(`${repository}:`));
    if (image.labels['io.bake.kind'] !== kind || !reportDigest || tags.length === 0) continue;
    return {
      id: image.id,
      checkedId: image.labels[VERDICT_LABELS.checkedImage] ?? image.id,
      repository,
      tags,
      reportDigest,
    };
  }
  return undefined;
}
