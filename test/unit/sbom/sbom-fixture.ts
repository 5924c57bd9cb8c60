import { encodeBuildInfoBlob } from '../../../bake/sbom/go-buildinfo';
import type { FixtureEntry } from './image-export-fixture';

/** A Go "binary": an ELF start and the build info blob at a 16-byte boundary (found by the search). */
export function goBinary(goVersion: string, modInfo: string): Buffer {
  const head = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(2042)]);
  return Buffer.concat([head, encodeBuildInfoBlob(goVersion, modInfo), Buffer.alloc(512)]);
}

const stanza = (name: string, version: string, arch: string, extra = '', status = 'install ok installed') =>
  `Package: ${name}\nStatus: ${status}\nArchitecture: ${arch}\nVersion: ${version}\n${extra}Description: ${name}\n`;

const DEP5 = (license: string) =>
  `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: someone\nLicense: ${license}\n`;

/**
 * Four layers of a Debian-based toolchain image: a base with dpkg's status, a layer that adds
 * git and ca-certificates (and drops `oldpkg`, its doc and a removed tool), a distroless-style
 * status.d layer, and Go with a tool binary; the last layer deletes a directory by opaque whiteout.
 */
export function debianImageLayers(): FixtureEntry[][] {
  const base = [
    stanza('base-files', '12.4+deb12u11', 'amd64'),
    stanza('libc6', '2.36-9+deb12u14', 'amd64', 'Source: glibc\n'),
    stanza('oldpkg', '1.0', 'amd64'),
    stanza('removed-but-configured', '2.0', 'amd64', '', 'deinstall ok config-files'),
  ].join('\n');
  const withGit = [
    base.replace(stanza('oldpkg', '1.0', 'amd64') + '\n', ''),
    stanza('git', '1:2.39.5-0+deb12u3', 'amd64'),
    stanza('ca-certificates', '20250419~deb12u2', 'all'),
  ].join('\n');
  return [
    [
      { path: '/etc', dir: true },
      {
        path: '/usr/lib/os-release',
        content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
      },
      { path: '/etc/os-release', symlink: '../usr/lib/os-release' },
      { path: '/var/lib/dpkg/status', content: base },
      { path: '/usr/share/doc/base-files/copyright', content: 'This is Debian (free-form, no Format: header)\n' },
      { path: '/usr/share/doc/oldpkg/copyright', content: DEP5('GPL-2+') },
      { path: '/usr/share/doc/libc6/copyright', content: DEP5('LGPL-2.1+') },
      {
        path: '/usr/bin/oldtool',
        content: goBinary('go1.20.1', 'path\texample.com/old\nmod\texample.com/old\tv0.1.0\t'),
        mode: 0o755,
      },
    ],
    [
      { path: '/var/lib/dpkg/status', content: withGit },
      { path: '/usr/share/doc/.wh.oldpkg', content: '' },
      { path: '/usr/bin/.wh.oldtool', content: '' },
      {
        path: '/usr/share/doc/git/copyright',
        content: `${DEP5('GPL-2')}\nFiles: compat/regex/*\nCopyright: x\nLicense: LGPL-2.1+\n`,
      },
      { path: '/usr/share/doc/ca-certificates/copyright', content: DEP5('GPL-2+ or MPL-2.0') },
      { path: '/usr/share/doc/git-man', symlink: 'git' },
    ],
    [
      {
        path: '/var/lib/dpkg/status.d/tzdata',
        content: stanza('tzdata', '2026f-0+deb12u1', 'all').replace(/^Status:.*\n/m, ''),
      },
      { path: '/var/lib/dpkg/status.d/tzdata.md5sums', content: 'abc  usr/share/zoneinfo/UTC\n' },
      { path: '/usr/share/doc/tzdata/copyright', content: DEP5('public-domain') },
      { path: '/usr/local/go/VERSION', content: 'go1.27.4\ntime 2026-11-01T00:00:00Z\n' },
      {
        path: '/usr/local/go/bin/go',
        content: goBinary('go1.27.4', 'path\tcmd/go\nbuild\t-trimpath=true'),
        mode: 0o755,
      },
      {
        path: '/usr/local/bin/tool',
        content: goBinary(
          'go1.27.4',
          'path\texample.com/tool\nmod\texample.com/tool\tv1.4.0\th1:AAAA\ndep\tgolang.org/x/mod\tv0.21.0\th1:BBBB',
        ),
        mode: 0o755,
      },
      { path: '/opt/scratch/leftover', content: goBinary('go1.27.4', 'path\texample.com/leftover'), mode: 0o755 },
    ],
    [
      { path: '/opt/scratch', dir: true },
      { path: '/opt/scratch/.wh..wh..opq', content: '' },
    ],
  ];
}

export const IMAGE = {
  id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  ref: 'bake/debian12-go:1.27-amd64',
  os: 'linux',
  architecture: 'amd64',
  created: '2026-11-01T00:00:00Z',
  labels: {
    'io.bake.go.version': '1.27.4',
    'io.bake.go.sha256': 'a'.repeat(64),
    'io.bake.go.source': 'official',
    'io.bake.go.filename': 'go1.27.4.linux-amd64.tar.gz',
    'io.bake.target': 'debian12-amd64',
  },
};
