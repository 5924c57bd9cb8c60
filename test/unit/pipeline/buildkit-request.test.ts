import { imageFeatures } from '../../../bake/pipeline/buildkit-request';

describe('imageFeatures', () => {
  it('gives each image of each target its own cache tag in every repository', () => {
    expect(
      imageFeatures(
        { cacheTo: 'reg:5000/cache', cacheFrom: ['reg:5000/cache', 'mirror/c'], provenance: true },
        'debian12-amd64',
        'toolchain',
      ),
    ).toEqual({
      cacheTo: 'reg:5000/cache:debian12-amd64-toolchain',
      cacheFrom: ['reg:5000/cache:debian12-amd64-toolchain', 'mirror/c:debian12-amd64-toolchain'],
      provenance: true,
    });
  });

  it('asks for nothing when the run asks for nothing', () => {
    expect(imageFeatures(undefined, 't', 'runtime')).toBeUndefined();
    expect(imageFeatures({ cacheFrom: [], provenance: false }, 't', 'runtime')).toBeUndefined();
    expect(imageFeatures({ provenance: true }, 't', 'runtime')).toEqual({ provenance: true });
  });
});
