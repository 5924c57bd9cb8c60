import type Dockerode from 'dockerode';
import { DockerEngine, splitRef } from '../../../bake/engine/docker-engine';

describe('splitRef', () => {
  test.each([
    ['bake/debian12-go:1.27-amd64', 'bake/debian12-go', '1.27-amd64'],
    ['registry:5000/team/img:tag', 'registry:5000/team/img', 'tag'],
    ['registry:5000/team/img', 'registry:5000/team/img', 'latest'],
    ['img', 'img', 'latest'],
  ])('%s', (ref, repo, tag) => {
    expect(splitRef(ref)).toEqual({ repo, tag });
  });
});

/** A Dockerode double for the few calls the wrapper makes, recording them. */
function fakeDocker(behaviour: {
  inspect?: () => Promise<unknown>;
  remove?: () => Promise<unknown>;
  images?: unknown[];
  containers?: { Id: string }[];
  removeContainer?: (id: string) => Promise<unknown>;
}) {
  const calls: unknown[][] = [];
  const docker = {
    getImage: (ref: string) => ({
      inspect: () => (calls.push(['inspect', ref]), behaviour.inspect!()),
      remove: (opts: unknown) => (calls.push(['remove', ref, opts]), behaviour.remove!()),
    }),
    listImages: (opts: unknown) => (calls.push(['listImages', opts]), Promise.resolve(behaviour.images ?? [])),
    listContainers: (opts: unknown) => (
      calls.push(['listContainers', opts]),
      Promise.resolve(behaviour.containers ?? [])
    ),
    getContainer: (id: string) => ({
      remove: (opts: unknown) => (calls.push(['removeContainer', id, opts]), behaviour.removeContainer!(id)),
    }),
  };
  return { engine: new DockerEngine(docker as unknown as Dockerode, 'unix:///test.sock'), calls };
}

const statusError = (statusCode: number) => Object.assign(new Error(`HTTP ${statusCode}`), { statusCode });

describe('DockerEngine', () => {
  test('inspectImage: the details bake reads, or undefined for an image the engine does not have', async () => {
    const { engine } = fakeDocker({
      inspect: () =>
        Promise.resolve({
          Id: 'sha256:1',
          RepoTags: ['a:1'],
          Architecture: 'arm64',
          Os: 'linux',
          Variant: 'v8',
          Config: { Labels: { k: 'v' }, Env: ['A=1'], User: 'gobuild' },
          Size: 10,
          Created: '2026-01-01T00:00:00Z',
          RootFS: { Layers: ['sha256:l'] },
        }),
    });
    expect(await engine.inspectImage('a:1')).toEqual({
      id: 'sha256:1',
      tags: ['a:1'],
      digests: [],
      architecture: 'arm64',
      os: 'linux',
      variant: 'v8',
      labels: { k: 'v' },
      env: ['A=1'],
      user: 'gobuild',
      sizeBytes: 10,
      created: '2026-01-01T00:00:00Z',
      layers: ['sha256:l'],
    });
    expect(await fakeDocker({ inspect: () => Promise.reject(statusError(404)) }).engine.inspectImage('x')).toBe(
      undefined,
    );
    await expect(
      fakeDocker({ inspect: () => Promise.reject(statusError(500)) }).engine.inspectImage('x'),
    ).rejects.toThrow('HTTP 500');
  });

  test('removeImage removes one tag without pruning parents; an image already gone is fine', async () => {
    const ok = fakeDocker({ remove: () => Promise.resolve([]) });
    await ok.engine.removeImage('a:1');
    expect(ok.calls).toEqual([['remove', 'a:1', { noprune: true }]]);
    await expect(
      fakeDocker({ remove: () => Promise.reject(statusError(404)) }).engine.removeImage('a:1'),
    ).resolves.toBe(undefined);
    await expect(
      fakeDocker({ remove: () => Promise.reject(statusError(409)) }).engine.removeImage('a:1'),
    ).rejects.toThrow('HTTP 409');
  });

  test('listImages filters by label and leaves out untagged names', async () => {
    const { engine, calls } = fakeDocker({
      images: [{ Id: 'sha256:1', RepoTags: ['<none>:<none>', 'a:1'], Labels: null, Created: 1_700_000_000, Size: 5 }],
    });
    expect(await engine.listImages('io.bake.kind')).toEqual([
      { id: 'sha256:1', tags: ['a:1'], labels: {}, created: new Date(1_700_000_000_000), sizeBytes: 5 },
    ]);
    expect(calls).toEqual([['listImages', { filters: '{"label":["io.bake.kind"]}' }]]);
  });

  test('removeContainersByLabel removes each (forced, with volumes); one already gone or going is fine', async () => {
    const { engine, calls } = fakeDocker({
      containers: [{ Id: 'c1' }, { Id: 'c2' }, { Id: 'c3' }],
      removeContainer: (id) => (id === 'c1' ? Promise.resolve() : Promise.reject(statusError(id === 'c2' ? 404 : 409))),
    });
    expect(await engine.removeContainersByLabel('io.bake.run=x')).toEqual(['c1', 'c2', 'c3']);
    expect(calls.filter((c) => c[0] === 'removeContainer')).toEqual([
      ['removeContainer', 'c1', { force: true, v: true }],
      ['removeContainer', 'c2', { force: true, v: true }],
      ['removeContainer', 'c3', { force: true, v: true }],
    ]);
    const failing = fakeDocker({ containers: [{ Id: 'c' }], removeContainer: () => Promise.reject(statusError(500)) });
    await expect(failing.engine.removeContainersByLabel('l')).rejects.toThrow('HTTP 500');
  });

  test('ping: an engine that does not answer is EngineUnavailable, naming the endpoint', async () => {
    const engine = DockerEngine.at('unix:///nonexistent/docker.sock');
    await expect(engine.ping(500)).rejects.toMatchObject({
      exitCode: 7,
      message: expect.stringMatching(/^no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock: /),
    });
  });
});
