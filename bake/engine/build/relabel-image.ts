import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import { dockerfileQuote } from '../../common/dockerfile-quote';
import type { ImageEngine, Platform } from '../types';

/** Where the image being relabeled is named for the moment of the build (FROM needs a name). */
const RELABEL_REPO = 'bake-relabel/source';

/**
 * Adds labels to an existing image: a BuildKit build of `FROM <image>` + `LABEL ...`, which
 * writes a new config over the very same layers. The result is checked layer by layer, so a
 * verdict recorded this way is always about the filesystem that was checked.
 */
export async function relabelImage(
  engine: Pick<ImageEngine, 'build' | 'tag' | 'removeImage' | 'inspectImage'>,
  imageId: string,
  platform: Platform,
  labels: Record<string, string>,
  signal?: AbortSignal,
): Promise<string> {
  const source = await engine.inspectImage(imageId);
  if (!source) throw new BakeError(`cannot relabel ${imageId}: the engine has no such image`, ExitCode.Failure);
  const tag = `${imageId.replace(/^sha256:/, '').slice(0, 12)}-${randomBytes(4).toString('hex')}`;
  const contextDir = await fs.mkdtemp(join(tmpdir(), 'bake-relabel-'));
  await engine.tag(imageId, RELABEL_REPO, tag);
  try {
    const pairs = Object.entries(labels).map(([key, value]) => `${key}=${dockerfileQuote(value)}`);
    await fs.writeFile(
      join(contextDir, 'Dockerfile'),
      `FROM ${RELABEL_REPO}:${tag}\nLABEL ${pairs.join(' \\\n    ')}\n`,
    );
    const result = await engine.build({ contextDir, platform, tags: [], labels: {}, buildArgs: {}, signal });
    const relabeled = await engine.inspectImage(result.imageId);
    if (!relabeled || relabeled.layers.join() !== source.layers.join()) {
      throw new BakeError(
        `relabeling ${imageId} changed its layers; refusing to record a verdict on it`,
        ExitCode.Failure,
      );
    }
    return result.imageId;
  } finally {
    await engine.removeImage(`${RELABEL_REPO}:${tag}`);
    await fs.rm(contextDir, { recursive: true, force: true });
  }
}
