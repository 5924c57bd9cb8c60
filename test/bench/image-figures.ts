import { createGzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { imageFloor } from '../support/image-contents';
import { runInImage } from '../support/run-in-image';

/**
 * Published sizes of the images bake's kinds replace (compressed, as registries list them; not
 * measurable here, where no registry is reachable): Google's distroless static-debian12 and the
 * official golang image of a current line on bookworm (amd64).
 */
export const PUBLISHED_MIB = { distrolessStaticDebian12: 2.0, golangBookworm: 290 };

const MiB = 1024 * 1024;

/** An image's layers gzipped (as a registry stores them), summed: comparable with published sizes. */
async function compressedBytes(docker: Dockerode, image: string): Promise<number> {
  const extract = tar.extract();
  ((await docker.getImage(image).get()) as Readable).pipe(extract);
  let total = 0;
  for await (const entry of extract) {
    const name = entry.header.name;
    if (entry.header.type !== 'file' || !(name.endsWith('/layer.tar') || name.startsWith('blobs/'))) {
      entry.resume();
      continue;
    }
    const gzip = createGzip();
    const counted = new Promise<number>((resolve, reject) => {
      let n = 0;
      gzip.on('data', (b: Buffer) => (n += b.length));
      gzip.on('end', () => resolve(n));
      gzip.on('error', reject);
    });
    (entry as unknown as Readable).pipe(gzip);
    total += await counted;
  }
  return total;
}

// Seconds of one `go build` of a hello world importing net and os/user, timed inside the container
// (no container start counted): the first in a fresh container, then again after an edit.
const FIRST_AND_SECOND = [
  'set -e; cd "$(mktemp -d)"',
  'printf "%s" "$1" > main.go',
  't0=$(date +%s%N); go build -o hello main.go; t1=$(date +%s%N)',
  'echo "// edited" >> main.go',
  't2=$(date +%s%N); go build -o hello main.go; t3=$(date +%s%N)',
  'echo "$(( (t1 - t0) / 1000000 )) $(( (t3 - t2) / 1000000 ))"',
].join('\n');
const HELLO =
  'package main\n\nimport (\n\t"fmt"\n\t"net"\n\t"os/user"\n)\n\n' +
  'func main() {\n\tu, _ := user.Current()\n\tfmt.Println(net.IPv4len, u != nil)\n}\n';

export interface ImageFigures {
  runtimeMiB: number;
  runtimeCompressedMiB: number;
  toolchainMiB: number;
  toolchainCompressedMiB: number;
  /** Slim base + Go tree + the installed size of the packages the toolchain adds. */
  toolchainFloorMiB: number;
  /** The shipped standard-library build cache, apart from the floor comparison. */
  warmCacheMiB: number;
  published: typeof PUBLISHED_MIB;
  firstBuildS: number;
  secondBuildS: number;
  firstToSecond: number;
}

export async function imageFigures(
  docker: Dockerode,
  images: { runtime: string; toolchain: string; base: string; go: string },
): Promise<ImageFigures> {
  const size = async (ref: string) => (await docker.getImage(ref).inspect()).Size / MiB;
  const floor = await imageFloor(docker, {
    image: images.toolchain,
    base: images.base,
    go: images.go,
    skip: 'bake-cache',
  });
  const timed = await runInImage(docker, images.toolchain, ['sh', '-c', FIRST_AND_SECOND, 'sh', HELLO]);
  const [firstMs, secondMs] = timed.stdout.trim().split(' ').map(Number);
  if (timed.exitCode !== 0 || !(firstMs >= 0) || !(secondMs > 0))
    throw new Error(`timing the first build failed: ${timed.stderr || timed.stdout}`);
  const round = (n: number) => Number(n.toFixed(2));
  return {
    runtimeMiB: round(await size(images.runtime)),
    runtimeCompressedMiB: round((await compressedBytes(docker, images.runtime)) / MiB),
    toolchainMiB: round(await size(images.toolchain)),
    toolchainCompressedMiB: round((await compressedBytes(docker, images.toolchain)) / MiB),
    toolchainFloorMiB: round(floor.floorBytes / MiB),
    warmCacheMiB: round(floor.skippedBytes / MiB),
    published: PUBLISHED_MIB,
    firstBuildS: firstMs / 1000,
    secondBuildS: secondMs / 1000,
    firstToSecond: round(firstMs / secondMs),
  };
}
