/**
 * Debian suites that carry the `golang-1.NN-go`/`golang-1.NN-src` packages bake repacks:
 * trixie-backports carries the current lines (1.25 to 1.27 on 2026-12-01), forky the next
 * release's, bookworm-backports the older ones a site may keep. Packages of the same Go line
 * in several suites are all offered, by Go version, so the newest patch wins.
 */
export const GO_SUITES = ['bookworm-backports', 'trixie-backports', 'forky'] as const;

/** Debian's archive keyring: apt checks each suite's InRelease signature against it. */
export const DEBIAN_ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** The private deb822 sources file listing the Go suites of the Debian archive at `uri`. */
export function renderGoSourcesFile(uri: string, suites: readonly string[] = GO_SUITES): string {
  return renderSuitesFile(uri, suites, 'Debian suites carrying Go toolchains');
}

/** A private deb822 sources file (bake's own, never the system apt's) of `suites` at `uri`, main only. */
export function renderSuitesFile(uri: string, suites: readonly string[], purpose: string): string {
  return [
    `# Written by bake: ${purpose} (private to bake, not the system apt).`,
    'Types: deb',
    `URIs: ${uri}`,
    `Suites: ${suites.join(' ')}`,
    'Components: main',
    `Signed-By: ${DEBIAN_ARCHIVE_KEYRING}`,
    '',
  ].join('\n');
}
