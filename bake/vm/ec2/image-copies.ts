import type { Logger } from '../../common/log';
import type { Ec2Api } from './ec2-api';
import type { Ec2Image } from './types';
import type { AmiCopy, AmiTimeouts } from '../types';
import { waitAvailable } from './vetted-image';

/** Copies a vetted image to more regions, each copy available and tagged like the original. */
export async function copyImage(
  source: Ec2Image & { region: string },
  regions: string[],
  api: (region: string) => Ec2Api,
  timeouts: AmiTimeouts,
  logger: Logger,
  signal?: AbortSignal,
): Promise<AmiCopy[]> {
  const copies: AmiCopy[] = [];
  for (const region of regions) {
    const ec2 = api(region);
    const amiId = await ec2.copyImage(
      source.imageId,
      source.region,
      source.name,
      `copy of ${source.imageId} (${source.region})`,
    );
    const image = await waitAvailable(ec2, amiId, timeouts, signal);
    await ec2.createTags([amiId, ...image.snapshotIds], source.tags);
    logger.info(`copied ${source.imageId} to ${region}: ${amiId}`);
    copies.push({ region, amiId, snapshotIds: image.snapshotIds });
  }
  return copies;
}
