import type { ImageEngine } from '../engine/types';
import type { Plan } from '../plan/types';
import type { Report } from '../readiness/types';
import { isoDay } from '../recipe/waiver-dates';
import { expiredWaiver, reliedOnWaivers } from '../registry/catalog-entry';
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
 * A verdict that relied on a waiver expired by `now` no longer counts: the image is checked again.
 */
export async function findVettedImage(
  engine: Pick<ImageEngine, 'listImages'>,
  verdicts: Pick<VerdictStore, 'verdictOf' | 'getReport'>,
  plan: Plan,
  kind: ImageKind,
  tagPrefix: string,
  now: Date,
): Promise<VettedImage | undefined> {
  const { repository } = imageTags(plan, kind, new Date(0), tagPrefix);
  const candidates = await engine.listImages(`${BUILD_LABELS.inputsDigest}=${plan.inputsDigest}`);
  for (const image of candidates) {
    const tags = image.tags.filter((t) => t.startsWith(`${repository}:`));
    if (image.labels['io.bake.kind'] !== kind || tags.length === 0) continue;
    const reportDigest = await verdicts.verdictOf(image.id);
    const report = reportDigest ? await verdicts.getReport(reportDigest) : undefined;
    if (!reportDigest || !report) continue;
    const relied = waiversOf(report);
    if (relied && !expiredWaiver(relied, isoDay(now))) return { id: image.id, repository, tags, reportDigest };
  }
  return undefined;
}

/** The waivers a stored report's verdict relied on; a report that cannot be read vouches for nothing. */
function waiversOf(report: Buffer): { id: string; until: string }[] | undefined {
  try {
    return reliedOnWaivers(JSON.parse(report.toString('utf8')) as Report);
  } catch {
    return undefined;
  }
}
