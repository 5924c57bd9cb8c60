import { BakeError, ExitCode } from '../common/errors';
import { splitRef } from '../engine/docker-engine';
import type { ImageEngine } from '../engine/types';

/**
 * Points each reference at `imageId`, in order. When interrupted part-way, every reference is
 * put back where it pointed before (or removed), so a run never leaves some tags moved and
 * others not.
 */
export async function applyTags(
  engine: Pick<ImageEngine, 'inspectImage' | 'tag' | 'removeImage'>,
  imageId: string,
  refs: string[],
  signal?: AbortSignal,
): Promise<void> {
  const before = new Map<string, string | undefined>(
    await Promise.all(refs.map(async (ref) => [ref, (await engine.inspectImage(ref))?.id] as const)),
  );
  const done: string[] = [];
  try {
    for (const ref of refs) {
      if (signal?.aborted) throw new BakeError(`tagging ${imageId.slice(0, 19)} interrupted`, ExitCode.Interrupted);
      const { repo, tag } = splitRef(ref);
      await engine.tag(imageId, repo, tag);
      done.push(ref);
    }
  } catch (err) {
    for (const ref of done.reverse()) {
      const previous = before.get(ref);
      if (previous) {
        const { repo, tag } = splitRef(ref);
        await engine.tag(previous, repo, tag);
      } else {
        await engine.removeImage(ref);
      }
    }
    throw err;
  }
}
