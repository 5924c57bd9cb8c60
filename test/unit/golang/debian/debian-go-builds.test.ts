import { parsePackagesIndex } from '../../../../bake/golang/debian/apt-packages-index';
import { debianBuildRelease, selectDebianGoBuilds } from '../../../../bake/golang/debian/debian-go-builds';
import { sha, SHOW } from './packages-fixture';

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
