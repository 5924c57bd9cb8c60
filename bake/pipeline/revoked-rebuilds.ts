import { ExitCode } from '../common/errors';
import type { Logger } from '../common/log';
import type { ImageEngine } from '../engine/types';
import type { Plan } from '../plan/types';
import type { Arch } from '../recipe/types';
import { byVettedAt } from '../registry/catalog-entry';
import { catalogRecords } from '../registry/catalog-records';
import { reconcileLocalMovingTags } from '../registry/local-moving-tags';
import { describeRevocation } from '../registry/revocation';
import type { CatalogImage, CatalogStore } from '../registry/types';
import type { BakedTarget } from './types';

/** Every image the catalogs record (this machine's and the registry's). */
export async function catalogImages(catalogs: CatalogStore[]): Promise<CatalogImage[]> {
  const all = await Promise.all(catalogs.map(async (c) => (await catalogRecords(c)).images));
  return all.flat();
}

/**
 * Why a plan must be built again although its inputs were vetted: the newest image of exactly
 * these inputs (of some kind) was revoked, and no later build replaced it. The build then runs
 * from scratch (no build cache), so nothing of the revoked build is reused.
 */
export function revokedReason(images: CatalogImage[]): (plan: Plan) => Promise<string | undefined> {
  return (plan) => Promise.resolve(revokedReasonOf(images, plan));
}

function revokedReasonOf(images: CatalogImage[], plan: Plan): string | undefined {
  for (const kind of plan.target.kinds) {
    const newest = images
      .filter((i) => i.target === plan.target.name && i.kind === kind && i.inputsDigest === plan.inputsDigest)
      .sort(byVettedAt)
      .pop();
    // The same image may be in both catalogs; revoked in either counts.
    const revoked = newest && images.find((i) => i.imageId === newest.imageId && i.kind === kind && i.revoked);
    if (newest && revoked?.revoked)
      return (
        `rebuilt: its ${kind} image ${revoked.manifestDigest ?? newest.imageId} ` +
        `was ${describeRevocation(revoked.revoked)}`
      );
  }
  return undefined;
}

/**
 * A rebuild that gave the very image that was revoked (same plan, same bits) has nothing new to
 * offer: the target fails with what to do, nothing of it is recorded, and the moving tags on
 * this machine go back to where the revocation put them.
 */
export async function refuseReproducedRevoked(
  baked: BakedTarget[],
  images: CatalogImage[],
  local: {
    catalog: CatalogStore;
    engineFor: (arch: Arch) => Promise<Pick<ImageEngine, 'inspectImage' | 'tag' | 'removeImage'>>;
  },
  logger: Logger,
): Promise<void> {
  const revoked = images.filter((i) => i.revoked);
  for (const { result, plan } of baked) {
    if (!plan || result.status !== 'vetted') continue;
    const same = result.images
      .map((image) => revoked.find((r) => r.imageId === image.imageId && r.kind === image.kind))
      .find((r) => r !== undefined);
    if (!same) continue;
    result.status = 'failed';
    result.exitCode = ExitCode.Failure;
    result.message =
      `the rebuild reproduced the revoked ${same.kind} image ${same.imageId.slice(0, 19)} (same inputs, same bits; ` +
      `${describeRevocation(same.revoked!)}): change the recipe or its inputs, or bake registry unrevoke it`;
    logger.warn(`${result.target}: ${result.message}`);
    const images = (await catalogRecords(local.catalog)).images;
    await reconcileLocalMovingTags(
      await local.engineFor(plan.target.arch),
      images,
      new Set(images.filter((i) => i.target === result.target).map((i) => i.repository)),
      logger,
    );
  }
}
