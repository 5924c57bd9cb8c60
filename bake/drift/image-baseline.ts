import type Dockerode from 'dockerode';
import type { ImageKind, Target } from '../recipe/types';
import { captureArtifact } from './capture';
import { captureSpec } from './capture-spec';
import { imageAccess } from './docker-access';
import type { Capture } from './types';

export interface ImageBaselineInput {
  docker: Dockerode;
  /** The image id that passed the readiness suite. */
  image: string;
  kind: ImageKind;
  target: Pick<Target, 'user'>;
  /** Labels the capture's container like the readiness suite's, so an interrupted run removes it. */
  runId: string;
  now: Date;
}

/**
 * The baseline of an image and its trees' listings: what `bake drift` compares containers,
 * hosts and images with later. Captured while the readiness suite runs, and kept (the listings
 * stored with putListings) only when the image passes.
 */
export async function captureImageBaseline(input: ImageBaselineInput): Promise<Capture> {
  const spec = captureSpec(input.kind, input.target);
  // The runtime kind has no shell: everything it is can be read without running it.
  const access = await imageAccess(input.docker, input.image, { run: input.kind !== 'runtime', runId: input.runId });
  try {
    return await captureArtifact(access, spec, `image ${input.image.slice(0, 19)}`, input.now);
  } finally {
    await access.close();
  }
}
