import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import { awsTags, ec2Description, tagText } from './aws-names';
import { TAG } from './bake-tags';
import { amiName } from './builder-names';
import type { Ec2Api } from './ec2-api';
import type { Ec2Image, ImageFacts } from './types';
import { pollUntil } from './poll';
import type { AmiTimeouts } from '../types';

/** Tags that mark an image (and its snapshots) as a vetted bake of a target: what retention and consumers read. */
export function vettedTags(facts: ImageFacts, name: string): Record<string, string> {
  return awsTags({
    Name: name,
    [TAG.managed]: 'true',
    [TAG.target]: facts.target.name,
    [TAG.runId]: facts.runId,
    [TAG.goVersion]: facts.goVersion,
    [TAG.inputsDigest]: facts.inputsDigest,
    [TAG.userDataSha256]: facts.userDataSha256,
    [TAG.readinessSummary]: tagText(facts.summary),
    [TAG.createdAt]: facts.createdAt.toISOString(),
    [TAG.vetted]: 'true',
  });
}

/**
 * Images the stopped builder, waits until the image is available, then tags the image and its
 * snapshots as vetted. Until then the image says `bake:vetted=false`, so an interrupted run
 * never leaves something that looks vetted.
 */
export async function createVettedImage(
  ec2: Ec2Api,
  instanceId: string,
  facts: ImageFacts,
  timeouts: AmiTimeouts,
  signal: AbortSignal | undefined,
  onCreated: (imageId: string) => void,
): Promise<Ec2Image> {
  const name = amiName(facts.target, facts.goVersion, facts.createdAt);
  const description = ec2Description(
    `${facts.target.name} with Go ${facts.goVersion}, baked and checked by bake (${facts.summary})`,
  );
  const pending = awsTags({
    [TAG.managed]: 'true',
    [TAG.target]: facts.target.name,
    [TAG.runId]: facts.runId,
    [TAG.vetted]: 'false',
  });
  const imageId = await ec2.createImage(instanceId, name, description, pending);
  onCreated(imageId);
  const image = await waitAvailable(ec2, imageId, timeouts, signal);
  await ec2.createTags([imageId, ...image.snapshotIds], vettedTags(facts, name));
  return { ...image, tags: { ...image.tags, ...vettedTags(facts, name) } };
}

export async function waitAvailable(
  ec2: Ec2Api,
  imageId: string,
  timeouts: AmiTimeouts,
  signal?: AbortSignal,
): Promise<Ec2Image> {
  return pollUntil(
    `image ${imageId} in ${ec2.region} to be available`,
    async () => {
      const [image] = await ec2.describeImages({ imageIds: [imageId] });
      if (image?.state === 'failed' || image?.state === 'error')
        throw new Error(`image ${imageId} in ${ec2.region} failed`);
      return image?.state === 'available' ? image : undefined;
    },
    { timeoutMs: timeouts.stateMs, intervalMs: timeouts.pollMs, signal },
  );
}

/** Deregisters an image and deletes its snapshots (deregistering alone leaves them, and their cost). */
export async function deleteImage(ec2: Ec2Api, image: Pick<Ec2Image, 'imageId' | 'snapshotIds'>): Promise<void> {
  await ec2.deregisterImage(image.imageId);
  for (const snapshot of image.snapshotIds) await ec2.deleteSnapshot(snapshot);
}

/** Removes an image that never became vetted (an error or interrupt after CreateImage). */
export async function discardImage(ec2: Ec2Api, imageId: string, logger: Logger): Promise<void> {
  try {
    const [image] = await ec2.describeImages({ imageIds: [imageId] });
    await deleteImage(ec2, { imageId, snapshotIds: image?.snapshotIds ?? [] });
    logger.info(`${imageId} was not vetted: deregistered, snapshots deleted`);
  } catch (err) {
    logger.warn(
      `${imageId} was not vetted and could not be removed (${errorMessage(err)}); it is tagged ${TAG.vetted}=false`,
    );
  }
}
