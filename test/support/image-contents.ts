import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';

/** One entry of an image's filesystem, as a container of it shows it. */
export interface ImageEntry {
  path: string;
  type: string;
  mode: number;
  uid: number;
  size: number;
  content?: Buffer;
}

/**
 * The whole filesystem of an image, read from a created (never started) container's export, with
 * the content of files up to `readUpTo` bytes. Independent of bake's own layer readers.
 */
export async function imageContents(docker: Dockerode, image: string, readUpTo = 64 * 1024): Promise<ImageEntry[]> {
  const container = await docker.createContainer({ Image: image, Cmd: ['none'], NetworkDisabled: true });
  try {
    const extract = tar.extract();
    (await container.export()).pipe(extract);
    const entries: ImageEntry[] = [];
    for await (const entry of extract) {
      const h = entry.header;
      const parts: Buffer[] = [];
      for await (const chunk of entry as unknown as Readable)
        if ((h.size ?? 0) <= readUpTo) parts.push(chunk as Buffer);
      entries.push({
        path: `/${h.name.replace(/\/$/, '')}`,
        type: h.type ?? 'file',
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        size: h.size ?? 0,
        ...(h.type === 'file' && (h.size ?? 0) <= readUpTo ? { content: Buffer.concat(parts) } : {}),
      });
    }
    return entries;
  } finally {
    await container.remove({ force: true });
  }
}

/**
 * What an image costs above what it must hold: its size, and its floor (the base image, the Go
 * tree, and the Installed-Size of every package dpkg records in it but not in the base), with
 * the layers whose command names `skip` (the warm build cache) counted apart.
 */
export async function imageFloor(
  docker: Dockerode,
  input: { image: string; base: string; go: string; skip: string },
): Promise<{ imageBytes: number; floorBytes: number; skippedBytes: number }> {
  const size = async (ref: string) => (await docker.getImage(ref).inspect()).Size;
  const history = (await docker.getImage(input.image).history()) as { CreatedBy?: string; Size?: number }[];
  const skippedBytes = history
    .filter((h) => (h.CreatedBy ?? '').includes(input.skip))
    .reduce((sum, h) => sum + (h.Size ?? 0), 0);
  const installed = async (ref: string) => {
    const status = (await imageContents(docker, ref, 16 * 1024 * 1024)).find((e) => e.path === '/var/lib/dpkg/status');
    const sizes = new Map<string, number>();
    for (const stanza of (status?.content?.toString('utf8') ?? '').split('\n\n')) {
      const name = /^Package: (.+)$/m.exec(stanza)?.[1];
      const kib = /^Installed-Size: (\d+)$/m.exec(stanza)?.[1];
      if (name && kib) sizes.set(name, Number(kib) * 1024);
    }
    return sizes;
  };
  const [inImage, inBase] = await Promise.all([installed(input.image), installed(input.base)]);
  const added = [...inImage].filter(([name]) => !inBase.has(name)).reduce((sum, [, bytes]) => sum + bytes, 0);
  return {
    imageBytes: await size(input.image),
    floorBytes: (await size(input.base)) + (await size(input.go)) + added,
    skippedBytes,
  };
}
