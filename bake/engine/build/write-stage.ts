import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { pack as tarPack } from 'tar-stream';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import { sha256Hex } from '../../common/sha256';
import { buildMessages, messageError } from './build-messages';
import { layerTar } from './layer-tar';
import { stageConfig } from './stage-config';
import type { SourceImage } from './types';
import type { BuildResult, StageRequest } from '../types';

/**
 * Writes a stage onto an image without a build: its layer and config go to the engine's image
 * load API as an archive that names the image's own layers but does not carry them (the
 * classic image store takes a layer it already has without reading it). Milliseconds, where
 * even a cached BuildKit build takes a tenth of a second.
 */
export async function writeStage(docker: Dockerode, request: StageRequest): Promise<BuildResult> {
  const started = performance.now();
  const interrupted = () => new BakeError(`writing the stage onto ${request.from} interrupted`, ExitCode.Interrupted);
  if (request.signal?.aborted) throw interrupted();
  const source = await sourceImage(docker, request.from);
  const layer = await layerTar(request.layer);
  const diffId = `sha256:${sha256Hex(layer)}`;
  const files = request.layer.filter((e) => e.content !== undefined).map((e) => e.path);
  const config = stageConfig(source, request, { diffId, files: files.sort() });
  const imageId = `sha256:${sha256Hex(config)}`;
  const archive = loadArchive(source.diffIds, { bytes: config, digest: imageId }, { bytes: layer, digest: diffId });
  let failure: string | undefined;
  try {
    const response = (await docker.loadImage(archive, { quiet: true })) as Readable;
    for await (const message of buildMessages(response)) failure = messageError(message) ?? failure;
  } catch (err) {
    throw new BakeError(`the engine refused the stage written onto ${request.from}: ${errorMessage(err)}`);
  }
  if (failure) throw new BakeError(`the engine refused the stage written onto ${request.from}: ${failure}`);
  if (request.signal?.aborted) throw interrupted();
  // The engine names the image by its config's digest: anything else means it rewrote the config.
  try {
    await docker.getImage(imageId).inspect();
  } catch (err) {
    throw new BakeError(`the stage written onto ${request.from} did not load as ${imageId}: ${errorMessage(err)}`);
  }
  return { imageId, durationMs: Math.round(performance.now() - started), contextBytes: 0, steps: 1, cachedSteps: 0 };
}

async function sourceImage(docker: Dockerode, id: string): Promise<SourceImage> {
  const image = docker.getImage(id);
  const [info, history] = await Promise.all([
    image.inspect(),
    image.history() as Promise<{ Created: number; CreatedBy?: string; Comment?: string; Size?: number }[]>,
  ]).catch((err: unknown) => {
    throw new BakeError(`cannot read ${id} to write a stage onto it: ${errorMessage(err)}`);
  });
  return {
    architecture: info.Architecture,
    os: info.Os,
    variant: (info as { Variant?: string }).Variant,
    config: (info.Config ?? {}) as unknown as Record<string, unknown>,
    diffIds: info.RootFS?.Layers ?? [],
    history: [...history]
      .reverse()
      .map((h) => ({ created: h.Created, createdBy: h.CreatedBy ?? '', comment: h.Comment ?? '', size: h.Size ?? 0 })),
  };
}

/** `docker save`'s layout with only the new layer in it: the others are the image's own. */
function loadArchive(diffIds: string[], config: Content, layer: Content): Readable {
  const configName = `${config.digest.replace(/^sha256:/, '')}.json`;
  const layerName = (diffId: string) => `${diffId.replace(/^sha256:/, '')}/layer.tar`;
  const manifest = [{ Config: configName, RepoTags: null, Layers: [...diffIds, layer.digest].map(layerName) }];
  const pack = tarPack();
  pack.entry({ name: 'manifest.json', mtime: new Date(0) }, JSON.stringify(manifest));
  pack.entry({ name: configName, mtime: new Date(0) }, config.bytes);
  pack.entry({ name: layerName(layer.digest), mtime: new Date(0) }, layer.bytes);
  pack.finalize();
  return pack as unknown as Readable;
}

interface Content {
  bytes: Buffer;
  /** `sha256:` of the bytes. */
  digest: string;
}
