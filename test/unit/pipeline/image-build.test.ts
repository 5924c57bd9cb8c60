import { silentLogger } from '../../../bake/common/log';
import type { BuildRequest, ImageDetails, StageRequest } from '../../../bake/engine/types';
import { buildImage } from '../../../bake/pipeline/image-build';
import { stemImageRef } from '../../../bake/render/policy-stage';
import { renderContexts } from '../../../bake/render/render-contexts';
import type { RenderedContext } from '../../../bake/render/types';
import { fixtureCore, handMadeTarget } from '../render/render-fixtures';
import { scratchDir } from '../scratch-dir';

const contexts = renderContexts(fixtureCore(handMadeTarget()));
const toolchain = contexts.find((c) => c.kind === 'toolchain')!;
const runtime = contexts.find((c) => c.kind === 'runtime')!;
const base = { imageRef: 'bake-base/testos:amd64', digest: `sha256:${'b'.repeat(64)}`, bootstrapped: true };
const stemRef = stemImageRef(toolchain, toolchain.policy!, { ref: base.imageRef, digest: base.digest }, 'amd64');

/** An engine with the images of `has`, a classic or containerd image store, recording builds and written stages. */
function fakeEngine(has: string[] = [], containerdStore = false) {
  const built: BuildRequest[] = [];
  const written: StageRequest[] = [];
  return {
    built,
    written,
    engine: {
      buildkitCapabilities: () => Promise.resolve({ containerdStore, buildx: true as const }),
      inspectImage: (ref: string) =>
        Promise.resolve(has.includes(ref) ? ({ id: `sha256:id-of-${ref}` } as unknown as ImageDetails) : undefined),
      build: (request: BuildRequest) => {
        built.push(request);
        return Promise.resolve({
          imageId: 'sha256:built',
          durationMs: 1,
          contextBytes: 4096,
          steps: 5,
          cachedSteps: 3,
        });
      },
      writeStage: (request: StageRequest) => {
        written.push(request);
        return Promise.resolve({ imageId: 'sha256:written', durationMs: 1, contextBytes: 0, steps: 1, cachedSteps: 0 });
      },
    },
  };
}

const run = (engine: ReturnType<typeof fakeEngine>['engine'], context: RenderedContext, noCache = false) =>
  buildImage({
    context,
    engine,
    base,
    arch: 'amd64',
    platform: 'linux/amd64',
    contextDir: `${scratchDir('bake-image-build-')}/ctx`,
    buildArgs: { BASE_IMAGE: base.imageRef },
    labels: { 'io.bake.inputs-digest': 'sha256:plan' },
    created: 1793651780,
    noCache,
    label: 'testos1-amd64/toolchain',
    logger: silentLogger,
  });

describe('buildImage', () => {
  test('a stem the engine has: no build, the policy stage written onto it', async () => {
    const fake = fakeEngine([stemRef]);
    const result = await run(fake.engine, toolchain);
    expect(fake.built).toEqual([]);
    expect(fake.written).toHaveLength(1);
    const [stage] = fake.written;
    expect(stage.from).toBe(`sha256:id-of-${stemRef}`);
    expect(stage.env).toEqual(toolchain.policy!.env);
    expect(stage.labels).toEqual({ ...toolchain.policy!.labels, 'io.bake.inputs-digest': 'sha256:plan' });
    expect([stage.user, stage.workdir, stage.created]).toEqual(['10001:10001', '/home/gobuild', 1793651780]);
    expect(stage.layer.filter((e) => e.content).map((e) => e.path)).toEqual([
      'etc/profile.d/go-env.sh',
      'usr/local/go/go.env',
    ]);
    expect(result).toMatchObject({ imageId: 'sha256:written', steps: 1, cachedSteps: 0, contextBytes: 0 });
  });

  test('no stem yet: BuildKit builds the stem stage, tagged by its name, and the stage is written on it', async () => {
    const fake = fakeEngine();
    const result = await run(fake.engine, toolchain);
    expect(fake.built).toHaveLength(1);
    // The build's own labels go on the image bake writes, not on the stem.
    expect(fake.built[0]).toMatchObject({ target: 'toolchain-stem', tags: [stemRef], labels: {} });
    expect(fake.written.map((s) => s.from)).toEqual(['sha256:built']);
    expect(result).toMatchObject({ imageId: 'sha256:written', steps: 6, cachedSteps: 3, contextBytes: 4096 });
  });

  test('--no-cache builds the stem again even when the engine has it', async () => {
    const fake = fakeEngine([stemRef]);
    await run(fake.engine, toolchain, true);
    expect(fake.built.map((b) => [b.target, b.noCache])).toEqual([['toolchain-stem', true]]);
    expect(fake.written.map((s) => s.from)).toEqual(['sha256:built']);
  });

  test('the runtime kind, and any kind on a containerd image store: BuildKit builds the whole Dockerfile', async () => {
    for (const [fake, context] of [
      [fakeEngine([stemRef]), runtime],
      [fakeEngine([stemRef], true), toolchain],
    ] as const) {
      const result = await run(fake.engine, context);
      expect(fake.built).toHaveLength(1);
      expect(fake.built[0].target).toBeUndefined();
      expect(fake.built[0].labels).toEqual({ 'io.bake.inputs-digest': 'sha256:plan' });
      expect(fake.written).toEqual([]);
      expect(result.imageId).toBe('sha256:built');
    }
  });
});
