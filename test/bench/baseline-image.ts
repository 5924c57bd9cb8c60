import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type Dockerode from 'dockerode';
import { buildMessages, messageError, messageImageId } from '../../bake/engine/build/build-messages';
import { packContext } from '../../bake/engine/build/build-context';
import { packageRoot } from '../../bake/common/package-root';

/** Found from the package root, so this works from test/ (ts-jest) and dist/test/ (compiled). */
const baselineDir = () => join(packageRoot(__dirname), 'test', 'bench', 'baseline');

/**
 * Builds the baseline image (test/bench/baseline/Dockerfile: what the seeds do by hand) with
 * the engine's classic builder, from the same base and the same verified Go archive bake uses.
 */
export async function buildBaselineImage(
  docker: Dockerode,
  input: {
    baseImage: string;
    goArchive: string;
    tag: string;
    noCache?: boolean;
    editDockerfile?: (text: string) => string;
  },
): Promise<{ imageId: string; contextBytes: number }> {
  const context = await fs.mkdtemp(join(tmpdir(), 'bake-baseline-'));
  try {
    const dockerfile = await fs.readFile(join(baselineDir(), 'Dockerfile'), 'utf8');
    await fs.writeFile(join(context, 'Dockerfile'), (input.editDockerfile ?? ((t) => t))(dockerfile));
    await fs
      .link(input.goArchive, join(context, basename(input.goArchive)))
      .catch(() => fs.copyFile(input.goArchive, join(context, basename(input.goArchive))));
    const packed = packContext(context);
    const stream = await docker.buildImage(packed.stream, {
      t: input.tag,
      version: '1',
      nocache: input.noCache ?? false,
      buildargs: { BASE_IMAGE: input.baseImage, GO_ARCHIVE: basename(input.goArchive) },
    } as Dockerode.ImageBuildOptions);
    let imageId: string | undefined;
    for await (const message of buildMessages(stream as NodeJS.ReadableStream & AsyncIterable<Buffer>)) {
      const error = messageError(message);
      if (error) throw new Error(`baseline build failed: ${error}`);
      imageId = messageImageId(message) ?? imageId;
    }
    if (!imageId) throw new Error('baseline build ended without an image id');
    return { imageId, contextBytes: packed.bytes() };
  } finally {
    await fs.rm(context, { recursive: true, force: true });
  }
}
