import { buildPath, effectiveFeatures } from '../../../../bake/engine/build/buildkit-features';
import { ExitCode } from '../../../../bake/common/errors';

describe('effectiveFeatures', () => {
  const classic = { containerdStore: false, buildx: true as const };
  const containerd = { containerdStore: true, buildx: true as const };
  it('errors, naming what to enable, when a required feature is missing', () => {
    expect(() => effectiveFeatures({ cacheTo: 'r:1/c:t' }, classic, 'unix:///s')).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.EngineUnavailable,
        hint: expect.stringMatching(/containerd-snapshotter/),
      }),
    );
  });
  it('drops auto provenance where unsupported, keeps it where supported', () => {
    expect(effectiveFeatures({ provenance: 'auto' }, classic, 'e')).toBeUndefined();
    expect(effectiveFeatures({ provenance: 'auto' }, containerd, 'e')).toEqual({ provenance: true });
  });
});

describe('buildPath', () => {
  const classic = { containerdStore: false, buildx: true as const };
  const containerd = { containerdStore: true, buildx: true as const };
  it('takes the engine API for plain builds on the classic store, buildx for features and the containerd store', () => {
    expect(buildPath(undefined, classic, 'e')).toBe('api');
    expect(buildPath(undefined, { containerdStore: false, buildx: 'no docker on PATH' }, 'e')).toBe('api');
    expect(buildPath({ provenance: true }, containerd, 'e')).toBe('buildx');
    expect(buildPath(undefined, containerd, 'e')).toBe('buildx');
  });
  it('stops with what to install on a containerd store without buildx', () => {
    expect(() => buildPath(undefined, { containerdStore: true, buildx: 'no docker on PATH' }, 'unix:///s')).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.EngineUnavailable,
        message: expect.stringMatching(/unix:\/\/\/s uses the containerd image store.*no docker on PATH$/),
        hint: 'install the docker-buildx package (the Docker CLI plugin)',
      }),
    );
  });
});
