import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { BakeError, ExitCode } from '../common/errors';
import { bakeVersion } from '../common/package-root';
import { cycloneDxJson } from './cyclonedx';
import { readImageContents } from './read-image-contents';
import { spdxJson } from './spdx';
import type { ImageContents, SbomFormat, SbomTool } from './types';

export const SBOM_TOOL = (): SbomTool => ({ name: 'bake', version: bakeVersion() });

/** Where a pushed image lives, so its SBOM names it by registry digest. */
export interface RegistryIdentity {
  repository: string;
  manifestDigest: string;
}

/**
 * The contents of an image in the engine, one bake built or any other: read from its export
 * (`docker save`), never by running it.
 */
export async function imageContents(docker: Dockerode, ref: string, where?: RegistryIdentity): Promise<ImageContents> {
  const image = docker.getImage(ref);
  let info;
  try {
    info = await image.inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404)
      throw new BakeError(`image ${ref} is not in the engine`, ExitCode.Usage, 'pull or build it first');
    throw err;
  }
  const exported = (await docker.getImage(info.Id).get()) as Readable;
  return readImageContents(exported, {
    id: info.Id,
    ref,
    os: info.Os,
    architecture: info.Architecture,
    created: info.Created,
    labels: info.Config?.Labels ?? {},
  }).then((contents) => (where ? { ...contents, image: { ...contents.image, ...where } } : contents));
}

export function renderSbom(contents: ImageContents, format: SbomFormat, tool: SbomTool = SBOM_TOOL()): string {
  return format === 'cyclonedx' ? cycloneDxJson(contents, tool) : spdxJson(contents, tool);
}
