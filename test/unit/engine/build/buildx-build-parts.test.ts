import { buildxArgv, registryRef } from '../../../../bake/engine/build/buildx-argv';
import { buildPath, effectiveFeatures } from '../../../../bake/engine/build/buildkit-features';
import { BuildTrace } from '../../../../bake/engine/build/build-trace';
import { RawjsonSplitter } from '../../../../bake/engine/build/rawjson-progress';
import { ExitCode } from '../../../../bake/common/errors';
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

describe('RawjsonSplitter', () => {
  it('turns indented SolveStatus objects into trace events and keeps the trailing text', () => {
    const vertex = 'sha256:aa';
    const objects = [
      { vertexes: [{ digest: vertex, name: '[2/3] RUN make', started: '2026-12-03T06:18:11.8Z' }] },
      { logs: [{ vertex, stream: 1, data: Buffer.from('hello\n').toString('base64') }] },
      { statuses: [{ id: 'transferring context:', vertex: 'sha256:bb', current: 37 }] },
      { vertexes: [{ digest: vertex, name: '[2/3] RUN make', cached: true, completed: '2026-12-03T06:18:12Z' }] },
    ];
    const text = objects.map((o) => JSON.stringify(o, null, 2)).join('\n') + '\nERROR: failed to solve: boom\n';
    const splitter = new RawjsonSplitter();
    // Cut mid-object, as a pipe does.
    const a = splitter.push(text.slice(0, 50));
    const b = splitter.push(text.slice(50));
    const c = splitter.end();
    const responses = [...a.responses, ...b.responses, ...c.responses];
    expect(responses).toHaveLength(4);
    const trace = new BuildTrace();
    const events = responses.flatMap((r) => trace.apply(r));
    expect(events.map((e) => e.status)).toEqual(['started', 'started', 'cached']);
    expect(events[1].logs).toEqual(['hello']);
    expect(trace.counts()).toEqual({ steps: 1, cachedSteps: 1 });
    expect([...a.text, ...b.text, ...c.text]).toEqual(['ERROR: failed to solve: boom']);
  });
});
