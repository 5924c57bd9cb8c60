/**
 * Debian suites that carry the `golang-1.NN-go`/`golang-1.NN-src` packages bake repacks:
 * bookworm-backports has golang-1.21, 1.22 and 1.23; trixie has golang-1.24. Add a suite
 * here when Debian publishes a newer line elsewhere (e.g. trixie-backports); packages of the
 * same Go line in several suites are all offered, by Go version.
 */
export const GO_SUITES = ['bookworm-backports', 'trixie'] as const;

/** Debian's archive keyring: apt checks each suite's InRelease signature against it. */
export const DEBIAN_ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** The private deb822 sources file listing the Go suites of the Debian archive at `uri`. */
export function renderGoSourcesFile(uri: string, suites: readonly string[] = GO_SUITES): string {
  return [
    '# Written by bake: Debian suites carrying Go toolchains (private to bake, not the system apt).',
    'Types: deb',
    `URIs: ${uri}`,
    `Suites: ${suites.join(' ')}`,
    'Components: main',
    `Signed-By: ${DEBIAN_ARCHIVE_KEYRING}`,
    '',
  ].join('\n');
}
