import { parseBuildkitVersion, parseBuildxVersion } from '../../../../bake/engine/build/buildkit-capabilities';

describe('versions from docker buildx', () => {
  it.each([
    ['github.com/docker/buildx v0.17.1 257815a\n', '0.17.1'],
    ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n', '0.13.1'],
    ['docker: unknown command\n', undefined],
  ])('buildx version %j', (output, version) => expect(parseBuildxVersion(output)).toBe(version));

  it.each([
    ['Name: default\nBuildKit version: v0.13.2\nPlatforms: linux/amd64\n', '0.13.2'],
    ['Buildkit:  v0.11.6\n', '0.11.6'],
    // Debian's engine does not stamp its BuildKit: unknown, not "0.0.0".
    ['BuildKit version: v0.0.0+unknown\n', undefined],
    ['Status: inactive\n', undefined],
  ])('buildx inspect %j', (output, version) => expect(parseBuildkitVersion(output)).toBe(version));
});
