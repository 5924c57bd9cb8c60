import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { BakeError, ExitCode } from '../common/errors';

/** Path of the go command inside an official `goX.Y.Z.linux-ARCH.tar.gz`. */
const GO_BINARY_ENTRY = 'go/bin/go';

/** sha256 of go/bin/go in a Go distribution archive, streamed (stops once the file is read). */
export async function goBinarySha256(archivePath: string): Promise<string> {
  const file = createReadStream(archivePath);
  const gunzip = createGunzip();
  const extract = tar.extract();
  const fail = (err: Error) => extract.destroy(err);
  file.on('error', fail);
  gunzip.on('error', fail);
  file.pipe(gunzip).pipe(extract);
  try {
    for await (const entry of extract) {
      if (entry.header.name.replace(/^\.\//, '') !== GO_BINARY_ENTRY || entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      const hash = createHash('sha256');
      for await (const chunk of entry) hash.update(chunk as Buffer);
      return hash.digest('hex');
    }
  } finally {
    extract.destroy();
    gunzip.destroy();
    file.destroy();
  }
  throw new BakeError(`${archivePath} has no ${GO_BINARY_ENTRY}: not a Go distribution archive`, ExitCode.Untrusted);
}
