import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { ExitCode } from '../../../../bake/common/errors';
import { pushImage } from '../../../../bake/engine/build/image-push';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const lines = (...messages: object[]) => Readable.from(messages.map((m) => `${JSON.stringify(m)}\r\n`));

/** The two calls a push makes: the push stream of `name`, and an inspect of the pushed ref. */
function fakeDocker(push: () => Promise<unknown>, repoDigests: string[] = []) {
  const calls: unknown[] = [];
  const docker = {
    getImage: (name: string) => ({
      push: (opts: unknown) => (calls.push(['push', name, opts]), push()),
      inspect: () => (calls.push(['inspect', name]), Promise.resolve({ RepoDigests: repoDigests })),
    }),
  } as unknown as Dockerode;
  return { docker, calls };
}

describe('pushImage', () => {
  test('pushes the tag with the credentials given, and returns the digest the engine reports', async () => {
    const { docker, calls } = fakeDocker(async () =>
      lines({ status: 'Pushing' }, { status: '1.27: digest' }, { aux: { Tag: '1.27', Digest: DIGEST, Size: 1234 } }),
    );
    const auth = { username: 'ci', password: 'p', serveraddress: '127.0.0.1:5000' };
    expect(await pushImage(docker, '127.0.0.1:5000/golden/debian12-go:1.27', auth)).toEqual({
      digest: DIGEST,
      size: 1234,
    });
    expect(calls).toEqual([['push', '127.0.0.1:5000/golden/debian12-go', { tag: '1.27', authconfig: auth }]]);
  });

  test("a containerd image store's push has no digest in the stream: it is read from the image", async () => {
    const { docker } = fakeDocker(
      async () => lines({ status: 'Pushed' }),
      [`other/repo@sha256:${'0'.repeat(64)}`, `reg:5000/x@${DIGEST}`],
    );
    expect(await pushImage(docker, 'reg:5000/x:t', undefined)).toEqual({ digest: DIGEST, size: 0 });
  });

  test('no digest anywhere is an error, not an empty digest', async () => {
    const { docker } = fakeDocker(async () => lines({ status: 'Pushed' }));
    await expect(pushImage(docker, 'reg:5000/x:t', undefined)).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: 'push of reg:5000/x:t ended without a manifest digest',
    });
  });

  test('credentials refused are a usage error; other failures leave the registry unavailable', async () => {
    const denied = fakeDocker(async () => lines({ errorDetail: { message: 'unauthorized: authentication required' } }));
    await expect(pushImage(denied.docker, 'reg/x:t', undefined)).rejects.toMatchObject({
      exitCode: ExitCode.Usage,
      message: 'push of reg/x:t failed: unauthorized: authentication required',
    });
    const broken = fakeDocker(async () => lines({ error: 'blob upload unknown' }));
    await expect(pushImage(broken.docker, 'reg/x:t', undefined)).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
    });
  });

  test('an engine that refuses the push, a stream that breaks, and an interrupt', async () => {
    const refused = fakeDocker(() => Promise.reject(new Error('no such image')));
    await expect(pushImage(refused.docker, 'reg/x:t', undefined)).rejects.toThrow(
      'push of reg/x:t refused by the engine: no such image',
    );
    const cut = fakeDocker(async () =>
      Readable.from(
        (async function* () {
          yield '{"status":"Pushing"}\n';
          throw new Error('socket hang up');
        })(),
      ),
    );
    await expect(pushImage(cut.docker, 'reg/x:t', undefined)).rejects.toThrow(
      'push of reg/x:t broke off: socket hang up',
    );
    const controller = new AbortController();
    controller.abort();
    const aborted = fakeDocker(() => Promise.reject(new Error('aborted')));
    await expect(pushImage(aborted.docker, 'reg/x:t', undefined, controller.signal)).rejects.toMatchObject({
      exitCode: ExitCode.Interrupted,
      message: 'push of reg/x:t interrupted',
    });
  });

  test('a ref without a tag pushes latest', async () => {
    const { docker, calls } = fakeDocker(async () => lines({ aux: { Digest: DIGEST } }));
    await pushImage(docker, 'reg:5000/x', undefined);
    expect(calls[0]).toEqual(['push', 'reg:5000/x', { tag: 'latest', authconfig: undefined }]);
  });
});
