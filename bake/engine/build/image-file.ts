import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';

/** Files read out of an image are small (bake's own binaries): anything larger is a mistake. */
const IMAGE_FILE_MAX = 64 * 1024 * 1024;

/**
 * One regular file of an image, read through a container that is created and never started
 * (so it works for images without a shell, or for another architecture), then removed.
 */
export async function readImageFile(docker: Dockerode, image: string, path: string): Promise<Buffer> {
  const container = await docker.createContainer({ Image: image, Cmd: ['none'], NetworkDisabled: true });
  try {
    const archive = (await container.getArchive({ path })) as Readable;
    const extract = tar.extract();
    archive.on('error', (err) => extract.destroy(err));
    archive.pipe(extract);
    try {
      for await (const entry of extract) {
        const { type, size = 0 } = entry.header;
        if (type !== 'file') throw new Error(`${path} in ${image} is a ${type ?? 'special file'}, not a file`);
        if (size > IMAGE_FILE_MAX) throw new Error(`${path} in ${image} is ${size} bytes, over ${IMAGE_FILE_MAX}`);
        const parts: Buffer[] = [];
        for await (const chunk of entry) parts.push(chunk as Buffer);
        return Buffer.concat(parts);
      }
      throw new Error(`${path} is not in ${image}`);
    } finally {
      extract.destroy();
      archive.destroy();
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
