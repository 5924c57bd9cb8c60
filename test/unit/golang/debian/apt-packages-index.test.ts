import { parsePackagesIndex } from '../../../../bake/golang/debian/apt-packages-index';
import { debianBuildRelease, selectDebianGoBuilds } from '../../../../bake/golang/debian/debian-go-builds';

const sha = (c: string) => c.repeat(64);

// As `apt-cache show` prints them (several suites, several architectures), abridged.
const SHOW = `Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Installed-Size: 97929
Architecture: arm64
Depends: golang-1.22-src (>= 1.22.12-3~bpo12+1)
Description: Go programming language compiler, linker, compiled stdlib
 This package provides an assembler, compiler, linker, and compiled libraries
 for the Go programming language.
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_arm64.deb
Size: 21340556
SHA256: ${sha('a')}

Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-2~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-2~bpo12+1_arm64.deb
Size: 21340000
SHA256: ${sha('b')}

Package: golang-1.22-go
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Architecture: amd64
Filename: pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_amd64.deb
Size: 24752476
SHA256: ${sha('c')}

Package: golang-1.22-src
Source: golang-1.22
Version: 1.22.12-3~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.22/golang-1.22-src_1.22.12-3~bpo12+1_all.deb
Size: 18851420
SHA256: ${sha('d')}

Package: golang-1.22-src
Source: golang-1.22
Version: 1.22.12-2~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.22/golang-1.22-src_1.22.12-2~bpo12+1_all.deb
Size: 18851000
SHA256: ${sha('e')}

Package: golang-1.23-go
Source: golang-1.23 (1.23.5-1~bpo12+1)
Version: 1.23.5-1~bpo12+1+b1
Architecture: arm64
Filename: pool/main/g/golang-1.23/golang-1.23-go_1.23.5-1~bpo12+1+b1_arm64.deb
Size: 23400000
SHA256: ${sha('f')}

Package: golang-1.23-go
Source: golang-1.23
Version: 1.23.4-1~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.23/golang-1.23-go_1.23.4-1~bpo12+1_arm64.deb
Size: 23300000
SHA256: ${sha('3')}

Package: golang-1.23-src
Source: golang-1.23
Version: 1.23.5-1~bpo12+1
Architecture: all
Filename: pool/main/g/golang-1.23/golang-1.23-src_1.23.5-1~bpo12+1_all.deb
Size: 19000000
SHA256: ${sha('4')}

Package: golang-1.24-go
Version: 1.24.4-1
Architecture: arm64
Filename: pool/main/g/golang-1.24/golang-1.24-go_1.24.4-1_arm64.deb
Size: 28672232
SHA256: ${sha('1')}

Package: golang-1.24-src
Version: 1.24.4-1
Architecture: all
Filename: pool/main/g/golang-1.24/golang-1.24-src_1.24.4-1_all.deb
Size: 20000000
SHA256: ${sha('2')}

Package: golang-1.21-go
Version: 1.21.13-1~bpo12+1
Architecture: arm64
Filename: pool/main/g/golang-1.21/golang-1.21-go_1.21.13-1~bpo12+1_arm64.deb
Size: 1
SHA256: not-a-hash
`;

describe('parsePackagesIndex', () => {
  const packages = parsePackagesIndex(SHOW);

  test('reads each stanza, joining nothing across paragraphs, and drops entries without a usable SHA256', () => {
    expect(packages).toHaveLength(10);
    expect(packages[0]).toEqual({
      package: 'golang-1.22-go',
      version: '1.22.12-3~bpo12+1',
      architecture: 'arm64',
      source: 'golang-1.22',
      sourceVersion: '1.22.12-3~bpo12+1',
      filename: 'pool/main/g/golang-1.22/golang-1.22-go_1.22.12-3~bpo12+1_arm64.deb',
      size: 21340556,
      sha256: sha('a'),
    });
    expect(packages.find((p) => p.package === 'golang-1.21-go')).toBeUndefined();
  });

  test("the Source field gives the source name and version, defaulting to the package's own", () => {
    const rebuilt = packages.find((p) => p.version === '1.23.5-1~bpo12+1+b1');
    expect([rebuilt?.source, rebuilt?.sourceVersion]).toEqual(['golang-1.23', '1.23.5-1~bpo12+1']);
    const plain = packages.find((p) => p.package === 'golang-1.24-go');
    expect([plain?.source, plain?.sourceVersion]).toEqual(['golang-1.24-go', '1.24.4-1']);
  });
});

describe('selectDebianGoBuilds', () => {
  const packages = parsePackagesIndex(SHOW);

  test(
    'pairs each -go of the architecture with the -src of its source version, ' + 'newest Debian version per Go release',
    () => {
      const builds = selectDebianGoBuilds(packages, 'arm64');
      expect(builds.map((b) => [b.goVersion, b.go.version, b.src.version])).toEqual([
        ['1.24.4', '1.24.4-1', '1.24.4-1'],
        // A binary-only rebuild (+b1) pairs with the -src it was built from.
        ['1.23.5', '1.23.5-1~bpo12+1+b1', '1.23.5-1~bpo12+1'],
        ['1.22.12', '1.22.12-3~bpo12+1', '1.22.12-3~bpo12+1'],
      ]);
      // golang-1.23-go 1.23.4-1~bpo12+1 has no golang-1.23-src of its version: not offered.
      expect(builds.find((b) => b.goVersion === '1.23.4')).toBeUndefined();
    },
  );

  test('only packages for the requested architecture', () => {
    const builds = selectDebianGoBuilds(packages, 'amd64');
    expect(builds.map((b) => [b.goVersion, b.go.sha256])).toEqual([['1.22.12', sha('c')]]);
  });

  test('a package whose version is not of its own Go line is ignored', () => {
    const odd = parsePackagesIndex(SHOW.replace(/Version: 1\.24\.4-1/g, 'Version: 1.25.0-1'));
    expect(selectDebianGoBuilds(odd, 'arm64').map((b) => b.goVersion)).toEqual(['1.23.5', '1.22.12']);
  });

  test('as an official index release: sha256 and size only once a repack is recorded', () => {
    const [build] = selectDebianGoBuilds(packages, 'amd64');
    expect(debianBuildRelease(build)).toEqual({
      version: 'go1.22.12',
      stable: true,
      files: [
        {
          filename: 'go1.22.12.linux-amd64.tar.gz',
          os: 'linux',
          arch: 'amd64',
          version: 'go1.22.12',
          sha256: '',
          size: 0,
          kind: 'archive',
        },
      ],
    });
    const record = { filename: 'go1.22.12.linux-amd64.tar.gz', sha256: sha('9'), size: 123, debs: [] };
    expect(debianBuildRelease(build, record).files[0]).toMatchObject({ sha256: sha('9'), size: 123 });
  });
});
