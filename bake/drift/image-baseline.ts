import type Dockerode from 'dockerode';
import type { ImageKind, Target } from '../recipe/types';
import { putListings, type BlobStore } from './baseline-blobs';
import { captureArtifact } from './capture';
import { captureSpec } from './capture-spec';
import { imageAccess } from './docker-access';
import type { Baseline } from './types';

export interface ImageBaselineInput {
  docker: Dockerode;
  /** The image id that passed the readiness suite. */
  image: string;
  kind: ImageKind;
  target: Pick<Target, 'user'>;
  /** Labels the capture's container like the readiness suite's, so an interrupted run removes it. */
  runId: string;
  /** Where the trees' listings are kept (the catalog's content-addressed store). */
  store?: BlobStore;
  now: Date;
}

/**
 * The baseline of a vetted image, captured right after its readiness suite passed and before it
 * is tagged: what `bake drift` compares containers, hosts and images with later.
 */
export async function captureImageBaseline(input: ImageBaselineInput): Promise<Baseline> {
  const spec = captureSpec(input.kind, input.target);
  // The runtime kind has no shell: everything it is can be read without running it.
  const access = await imageAccess(input.docker, input.image, { run: input.kind !== 'runtime', runId: input.runId });
  try {
    const capture = await captureArtifact(access, spec, `image ${input.image.slice(0, 19)}`, input.now);
    if (input.store) await putListings(input.store, capture.trees);
    return capture.baseline;
  } finally {
    await access.close();
  }
}
