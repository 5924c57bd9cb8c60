import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { BuildFailedError } from '../../../../bake/engine/build/build-failure';
import { runDockerBuild } from '../../../../bake/engine/build/docker-build';
import type { BuildProgressEvent, BuildRequest } from '../../../../bake/engine/types';
import { ExitCode } from '../../../../bake/common/errors';
import { digest, encodeTrace, ts } from './trace-fixtures';

const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for dockerode's buildImage: records the options and plays back messages. */
function fakeDocker(play: (out: PassThrough) => void) {
  const calls: { options: Record<string, unknown>; contextBytes: number }[] = [];
  const docker = {
    buildImage: async (context: Readable, options: Record<string, unknown>) => {
      const out = new PassThrough();
      const call = { options, contextBytes: 0 };
      calls.push(call);
      const signal = options.abortSignal as AbortSignal;
      signal.addEventListener('abort', () => out.destroy(new Error('aborted')));
      // As the engine does: the whole context is read before the build reports anything.
      context.on('data', (chunk: Buffer) => (call.contextBytes += chunk.length));
      context.on('end', () => setImmediate(() => play(out)));
      return out;
    },
    modem: { dial: (_opts: unknown, cb: () => void) => cb() },
  } as unknown as Dockerode;
  return { docker, calls };
}

const line = (m: unknown) => `${JSON.stringify(m)}\r\n`;
const trace = (value: Record<string, unknown>) => line({ id: 'moby.buildkit.trace', aux: encodeTrace(value) });

function request(extra: Partial<BuildRequest> = {}): BuildRequest {
  const dir = mkdtempSync(join(scratch, 'bake-ctx-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return {
    contextDir: dir,
    platform: 'linux/arm64',
    tags: ['bake-test/x:1'],
    labels: { a: 'b' },
    buildArgs: { V: '1' },
    ...extra,
  };
}

describe('runDockerBuild', () => {
  test('sends a BuildKit build for the platform, reports progress and returns the image id', async () => {
    const { docker, calls } = fakeDocker((out) => {
      out.write(
        trace({
          vertexes: [
            {
              digest: digest(1),
              name: '[1/2] COPY a /a',
              cached: true,
              started: ts('2025-01-01T00:00:00Z'),
              completed: ts('2025-01-01T00:00:00Z'),
            },
          ],
        }),
      );
      out.write(
        trace({
          vertexes: [
            {
              digest: digest(2),
              name: '[2/2] RUN x',
              started: ts('2025-01-01T00:00:00Z'),
              completed: ts('2025-01-01T00:00:03Z'),
            },
          ],
        }),
      );
      out.end(line({ id: 'moby.image.id', aux: { ID: 'sha256:feed' } }));
    });
    const events: BuildProgressEvent[] = [];
    let clock = 1000;
    const result = await runDockerBuild(
      docker,
      request({ target: 'toolchain', noCache: true, onProgress: (e) => events.push(e) }),
      () => (clock += 500),
    );
    expect(calls[0].contextBytes).toBeGreaterThan(512);
    expect(result).toEqual({
      imageId: 'sha256:feed',
      durationMs: 500,
      steps: 2,
      cachedSteps: 1,
      contextBytes: calls[0].contextBytes,
    });
    expect(events.map((e) => `${e.step} ${e.status}`)).toEqual(['1 cached', '2 completed']);
    const options = calls[0].options;
    expect(options).toMatchObject({
      version: '2',
      platform: 'linux/arm64',
      labels: { a: 'b' },
      buildargs: { V: '1' },
      target: 'toolchain',
      nocache: true,
    });
    // Tags are applied by the caller after success, never by the engine mid-build.
    expect(options.t).toBeUndefined();
    expect(String(options.buildid)).toMatch(/^bake-/);
  });

  test('an errorDetail fails the build with the failing step and its output', async () => {
    const { docker } = fakeDocker((out) => {
      out.write(
        trace({
          vertexes: [{ digest: digest(3), name: '[2/2] RUN exit 3', started: ts('2025-01-01T00:00:00Z') }],
          logs: [{ vertex: digest(3), stream: 1, msg: Buffer.from('out1\nout2\n') }],
        }),
      );
      out.write(
        trace({
          vertexes: [
            {
              digest: digest(3),
              name: '[2/2] RUN exit 3',
              started: ts('2025-01-01T00:00:00Z'),
              completed: ts('2025-01-01T00:00:01Z'),
              error: 'exit code: 3',
            },
          ],
        }),
      );
      out.end(
        line({
          errorDetail: { message: 'executor failed running [/bin/sh -c exit 3]: exit code: 3' },
          error: 'executor failed',
        }),
      );
    });
    const err = (await runDockerBuild(docker, request()).catch((e: unknown) => e)) as BuildFailedError;
    expect(err).toBeInstanceOf(BuildFailedError);
    expect(err.step).toBe('#1 [2/2] RUN exit 3');
    expect(err.output).toEqual(['out1', 'out2']);
    expect(err.message).toContain(
      'bake-test/x:1 (linux/arm64) failed at step #1 [2/2] RUN exit 3: executor failed running',
    );
  });

  test('aborting mid-build closes the connection and rejects with Interrupted', async () => {
    const controller = new AbortController();
    const { docker, calls } = fakeDocker((out) => {
      out.write(
        trace({ vertexes: [{ digest: digest(1), name: '[1/1] RUN sleep 30', started: ts('2025-01-01T00:00:00Z') }] }),
      );
    });
    const building = runDockerBuild(
      docker,
      request({ signal: controller.signal, onProgress: () => controller.abort() }),
    );
    await expect(building).rejects.toMatchObject({
      exitCode: ExitCode.Interrupted,
      message: 'build of bake-test/x:1 (linux/arm64) interrupted',
    });
    expect((calls[0].options.abortSignal as AbortSignal).aborted).toBe(true);
  });

  test('an already aborted signal never reaches the engine', async () => {
    const { docker, calls } = fakeDocker(() => undefined);
    const controller = new AbortController();
    controller.abort();
    await expect(runDockerBuild(docker, request({ signal: controller.signal }))).rejects.toMatchObject({
      exitCode: ExitCode.Interrupted,
    });
    expect(calls).toHaveLength(0);
  });

  test('a stream that ends without an image id means the engine went away', async () => {
    const { docker } = fakeDocker((out) =>
      out.end(trace({ vertexes: [{ digest: digest(1), name: '[1/1] RUN x', started: ts('2025-01-01T00:00:00Z') }] })),
    );
    await expect(runDockerBuild(docker, request())).rejects.toMatchObject({ exitCode: ExitCode.EngineUnavailable });
  });

  test('a broken connection is reported as the engine lost', async () => {
    const { docker } = fakeDocker((out) =>
      out.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    );
    await expect(runDockerBuild(docker, request())).rejects.toMatchObject({
      exitCode: ExitCode.EngineUnavailable,
      message: expect.stringContaining('lost the engine: socket hang up'),
    });
  });
});
