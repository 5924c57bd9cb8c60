import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { collectStream, layerTarStream } from '../../common/layer-stream';
import type { ImageConfig, LayerFile, Report } from '../types';

/** `LayerFile.read()` refuses files bigger than this: it is meant for configs and keys. */
export const LAYER_READ_MAX = 8 * 1024 * 1024;

/**
 * An image's config and layers through the engine API: what checks need that a container
 * cannot show (labels, history, files deleted in a later layer but still shipped).
 */
export class DockerImageInspector {
  constructor(
    private readonly docker: Dockerode,
    private readonly image: string,
  ) {}

  async imageConfig(): Promise<ImageConfig> {
    const image = this.docker.getImage(this.image);
    const [info, history] = await Promise.all([
      image.inspect(),
      image.history() as Promise<{ CreatedBy?: string; Size?: number }[]>,
    ]);
    const env: Record<string, string> = {};
    for (const pair of info.Config?.Env ?? []) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return {
      env,
      user: info.Config?.User ?? '',
      labels: info.Config?.Labels ?? {},
      workingDir: info.Config?.WorkingDir ?? '',
      history: [...history].reverse().map((h) => ({ createdBy: h.CreatedBy ?? '', size: h.Size ?? 0 })),
      sizeBytes: info.Size,
      os: info.Os,
      architecture: info.Architecture,
      entrypoint: asList(info.Config?.Entrypoint),
      cmd: asList(info.Config?.Cmd),
      exposedPorts: Object.keys(info.Config?.ExposedPorts ?? {}),
      volumes: Object.keys(info.Config?.Volumes ?? {}),
    };
  }

  /**
   * Every entry of every layer, streamed from the engine's image export: a layer is parsed
   * while it arrives, never held whole in memory. Handles the legacy `docker save` layout
   * (`<id>/layer.tar`) and the OCI one (`blobs/sha256/...`, sniffed as tar or gzip).
   */
  async *layerFiles(): AsyncGenerator<LayerFile> {
    const exported = (await this.docker.getImage(this.image).get()) as Readable;
    const outer = tar.extract();
    exported.on('error', (err) => outer.destroy(err));
    exported.pipe(outer);
    try {
      for await (const entry of outer) {
        const name = entry.header.name;
        if (entry.header.type !== 'file' || !(name.endsWith('/layer.tar') || name.startsWith('blobs/'))) {
          entry.resume();
          continue;
        }
        yield* this.filesOfLayer(entry, layerLabel(name));
      }
    } finally {
      outer.destroy();
      exported.destroy();
    }
  }

  private async *filesOfLayer(blob: AsyncIterable<unknown>, layer: string): AsyncGenerator<LayerFile> {
    const layerStream = await layerTarStream(blob); // undefined: an OCI config or manifest blob
    if (!layerStream) return;
    const inner = tar.extract();
    layerStream.on('error', (err) => inner.destroy(err));
    layerStream.pipe(inner);
    for await (const entry of inner) {
      let content: Promise<Buffer> | undefined;
      const h = entry.header;
      const size = h.size ?? 0;
      yield {
        path: `/${h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`,
        type:
          h.type === 'file' || h.type === 'contiguous-file'
            ? 'file'
            : h.type === 'directory'
              ? 'directory'
              : h.type === 'symlink'
                ? 'symlink'
                : h.type === 'link'
                  ? 'link'
                  : 'other',
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        ...(h.linkname ? { linkTarget: h.linkname } : {}),
        size,
        layer,
        read: () => {
          if (size > LAYER_READ_MAX)
            return Promise.reject(new Error(`${h.name} is ${size} bytes, over the ${LAYER_READ_MAX}-byte read limit`));
          content ??= collectStream(entry);
          return content;
        },
      };
      if (content) await content;
      else entry.resume();
    }
  }
}

/** The artifact part of a report, from the engine's view of the image. */
export async function imageArtifact(
  docker: Dockerode,
  ref: string,
  kind: Report['artifact']['kind'],
): Promise<Report['artifact']> {
  const info = await docker.getImage(ref).inspect();
  return {
    kind,
    ref,
    id: info.Id,
    platform: `${info.Os}/${info.Architecture}${info.Variant ? `/${info.Variant}` : ''}`,
  };
}

/** The engine gives Entrypoint and Cmd as a list, a string (old images) or null. */
function asList(value: string[] | string | null | undefined): string[] {
  if (Array.isArray(value)) return value;
  return typeof value === 'string' && value ? [value] : [];
}

function layerLabel(name: string): string {
  const id = name.endsWith('/layer.tar') ? name.slice(0, -'/layer.tar'.length) : name.slice(name.lastIndexOf('/') + 1);
  return `layer ${id.slice(0, 12)}`;
}
