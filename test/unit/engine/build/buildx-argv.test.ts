import { buildxArgv, registryRef } from '../../../../bake/engine/build/buildx-argv';
import type { BuildRequest } from '../../../../bake/engine/types';

const request: BuildRequest = {
  contextDir: '/ctx',
  platform: 'linux/amd64',
  tags: ['bake/x:1'],
  labels: { 'org.bake.inputs': 'abc' },
  buildArgs: { BASE_IMAGE: 'base:1' },
  target: 'builder',
};

describe('buildxArgv', () => {
  it('sends what the dockerode path sends, no tags, and only the features asked for', () => {
    const argv = buildxArgv(
      { ...request, buildkit: { cacheTo: 'reg:5000/cache:a', cacheFrom: ['reg:5000/cache:a'], provenance: true } },
      '/tmp/m.json',
    );
    expect(argv).toEqual([
      'buildx',
      'build',
      '--progress=rawjson',
      '--metadata-file=/tmp/m.json',
      '--platform=linux/amd64',
      '--provenance=mode=max',
      '--target=builder',
      '--build-arg',
      'BASE_IMAGE=base:1',
      '--label',
      'org.bake.inputs=abc',
      '--cache-from=type=registry,ref=reg:5000/cache:a',
      '--cache-to=type=registry,ref=reg:5000/cache:a,mode=max',
      '--',
      '/ctx',
    ]);
    expect(argv).not.toContain('-t');
  });

  it('turns buildx default provenance off and joins platforms', () => {
    const argv = buildxArgv({ ...request, buildkit: { platforms: ['linux/amd64', 'linux/arm64'] } }, '/m');
    expect(argv).toContain('--provenance=false');
    expect(argv).toContain('--platform=linux/amd64,linux/arm64');
  });

  it('refuses credentials or options smuggled in a cache reference', () => {
    expect(() => registryRef('user:pw@reg:5000/c')).toThrow(/not a registry reference/);
    expect(() => registryRef('reg:5000/c,mode=min')).toThrow();
    expect(registryRef('10.0.0.1:5000/team/cache:debian12-amd64-runtime')).toBeTruthy();
  });
});
