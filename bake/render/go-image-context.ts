import { posix } from 'node:path';
import { GOROOT } from '../plan/go-environment';
import type { GoDistribution } from '../golang/types';
import { assertGoArchiveName } from './go-archive-name';
import { GO_IMAGE_LAYOUT, GO_IMAGE_LAYOUT_LABEL, GO_IMAGE_SHA256_LABEL } from './image-refs';
import type { ContextArchive, RenderedFile } from './types';

/** GOROOT's parent: the directory the Go image holds and the toolchain image copies whole. */
export const GO_PARENT = posix.dirname(GOROOT);

/**
 * The context of a Go distribution image: the verified archive and a Dockerfile that unpacks it
 * into an empty image. BuildKit unpacks the archive itself (no RUN, no shell, no emulation), so
 * the tree keeps the tarball's root ownership, modes and times. The toolchain copies GO_PARENT
 * whole, natively: a COPY into it would stamp it with the build's clock, so it comes from the
 * context with the context's fixed mode and time instead (root-owned, as COPY makes it).
 */
export function goImageContext(
  go: Pick<GoDistribution, 'filename' | 'sha256'>,
  archivePath: string,
): { files: RenderedFile[]; archive: ContextArchive; directories: string[] } {
  assertGoArchiveName(go.filename);
  const parent = GO_PARENT.slice(1);
  const top = parent.split('/')[0];
  const dockerfile = [
    '# A verified Go distribution, unpacked by bake once per archive sha256; never pushed.',
    'FROM scratch',
    `ADD ${go.filename} ${GO_PARENT}/`,
    `COPY ${top}/ /${top}/`,
    `LABEL ${GO_IMAGE_SHA256_LABEL}="${go.sha256}" ${GO_IMAGE_LAYOUT_LABEL}="${GO_IMAGE_LAYOUT}"`,
    '',
  ].join('\n');
  return {
    files: [{ path: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile, 'utf8') }],
    archive: { contextPath: go.filename, sha256: go.sha256, source: archivePath },
    directories: [parent],
  };
}
