import type { RenderedFile } from './types';

/** Where the packages image holds its .deb files (the install step mounts them from there). */
export const PACKAGES_IMAGE_DIR = '/debs';

/**
 * The context of a packages image: the .deb files bake downloaded (apt checked each against
 * the archive's signed index), copied into an empty image. No RUN: nothing runs under emulation.
 */
export function packagesImageContext(debs: { name: string; content: Buffer }[]): RenderedFile[] {
  const dockerfile = [
    "# One image kind's pinned packages, downloaded and checked by bake once per set; never pushed.",
    'FROM scratch',
    `COPY debs/ ${PACKAGES_IMAGE_DIR}/`,
    '',
  ].join('\n');
  return [
    { path: 'Dockerfile', mode: 0o644, content: Buffer.from(dockerfile, 'utf8') },
    ...debs.map((d) => ({ path: `debs/${d.name}`, mode: 0o644, content: d.content })),
  ];
}
