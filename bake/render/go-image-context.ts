import { posix } from 'node:path';
import { GOROOT } from '../plan/go-environment';
import type { GoDistribution } from '../golang/types';
import { assertGoArchiveName } from './go-archive-name';
import { GO_IMAGE_SHA256_LABEL } from './image-refs';
import type { ContextArchive, RenderedFile } from './types';

/**
 * The context of a Go distribution image: the verified archive and a Dockerfile that unpacks it
 * into an empty image. BuildKit unpacks the archive itself (no RUN, no shell, no emulation), so
 * the tree keeps the tarball's root ownership, modes and times; the toolchain copies it whole.
 */
export function goImageContext(
  go: Pick<GoDistribution, 'filename' | 'sha256'>,
  archivePath: string,
): { files: RenderedFile[]; archive: ContextArchive } {
  assertGoArchiveName(go.filename);
  const dockerfile = [
    '# A verified Go distribution, unpacked by bake once per archive sha256; never pushed.',
    'FROM scratch',
    `ADD ${go.filename} ${posix.dirname(GOROOT)}/`,
    `LABEL ${GO_IMAGE_SHA256_LABEL}="${go.sha256}"`,
    '',
  ].join('\n');
  return {
    files: [{ path: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile, 'utf8') }],
    archive: { contextPath: go.filename, sha256: go.sha256, source: archivePath },
  };
}
