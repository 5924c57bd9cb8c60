import type { Logger } from '../../common/log';
import { TAG } from './bake-tags';
import type { Ec2Api } from './ec2-api';
import type { Ec2Image, RetentionResult } from './types';
import { deleteImage } from './vetted-image';

/**
 * Which of a target's images to delete: vetted ones beyond the newest `keep` (at least one, so
 * the newest vetted image always stays), and unvetted leftovers (interrupted or rejected runs)
 * older than the newest vetted image, never one that may still be in the making.
 */
export function imagesToDelete(images: Ec2Image[], keep: number): { keep: Ec2Image[]; drop: Ec2Image[] } {
  const newestFirst = [...images].sort((a, b) => createdAt(b).localeCompare(createdAt(a)));
  const vetted = newestFirst.filter((i) => i.tags[TAG.vetted] === 'true');
  const kept = vetted.slice(0, Math.max(1, keep));
  const newest = vetted[0];
  const drop = newestFirst.filter(
    (i) =>
      !kept.includes(i) &&
      (i.tags[TAG.vetted] === 'true' || (newest !== undefined && createdAt(i) < createdAt(newest))),
  );
  return { keep: newestFirst.filter((i) => !drop.includes(i)), drop };
}

/** Applies retention to the target's images bake made in this region (owned by this account). */
export async function applyRetention(
  ec2: Ec2Api,
  targetName: string,
  keep: number,
  logger: Logger,
): Promise<RetentionResult> {
  const images = await ec2.describeImages({
    owners: ['self'],
    filters: { [`tag:${TAG.managed}`]: ['true'], [`tag:${TAG.target}`]: [targetName] },
  });
  const plan = imagesToDelete(images, keep);
  for (const image of plan.drop) {
    await deleteImage(ec2, image);
    logger.info(
      `retention: deregistered ${image.imageId} (${image.name}) in ${ec2.region} ` +
        `and deleted ${image.snapshotIds.length} snapshot(s)`,
    );
  }
  return {
    kept: plan.keep.map((i) => i.imageId),
    deleted: plan.drop.map((i) => ({ amiId: i.imageId, snapshotIds: i.snapshotIds })),
  };
}

function createdAt(image: Ec2Image): string {
  return image.tags[TAG.createdAt] ?? image.creationDate ?? '';
}
