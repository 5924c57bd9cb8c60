import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../bake/common/log';
import { sha256Hex } from '../../../bake/common/sha256';
import type { BuildRequest, ImageDetails } from '../../../bake/engine/types';
import { ensureBinImage, ensureGoImage, ensureStdCacheImage } from '../../../bake/pipeline/stage-images';
import {
  GO_IMAGE_LAYOUT,
  GO_IMAGE_LAYOUT_LABEL,
  GO_IMAGE_SHA256_LABEL,
  goImageRef,
} from '../../../bake/render/image-refs';
import { renderContexts } from '../../../bake/render/render-contexts';
import { fixtureCore, fixtureGo, handMadeTarget } from '../render/render-fixtures';
import { scratchDir } from '../scratch-dir';

const target = handMadeTarget({ name: 'testos1-arm64', arch: 'arm64' });
const context = renderContexts(fixtureCore(target))[0];

/** An engine that has the images of `has` (ref → architecture) and records what it builds and tags. */
function fakeEngine(has: Record<string, string> = {}) {
  const built: BuildRequest[] = [];
  const tagged: string[] = [];
  return {
    built,
    tagged,
    engine: {
      inspectImage: (ref: string) =>
        Promise.resolve(has[ref] ? ({ id: ref, architecture: has[ref] } as unknown as ImageDetails) : undefined),
      build: (request: BuildRequest) => {
        built.push(request);
        return Promise.resolve({ imageId: 'sha256:feed', durationMs: 1, contextBytes: 4096, steps: 1, cachedSteps: 0 });
      },
      tag: (_imageId: string, repo: string, tag: string) => {
        tagged.push(`${repo}:${tag}`);
        return Promise.resolve();
      },
    },
  };
}

const options = (engine: ReturnType<typeof fakeEngine>['engine'], noCache = false) => ({
  engine,
  workDir: scratchDir('bake-stages-'),
  logger: silentLogger,
  noCache,
});

describe("the standard library's cache image", () => {
  test('built when missing: the std-cache stage for the target platform, tagged by its ref', async () => {
    const fake = fakeEngine();
    const result = await ensureStdCacheImage(context, 'linux/arm64', 'testos1-arm64', options(fake.engine));
    expect(result).toEqual({ built: true, contextBytes: 4096 });
    expect(fake.built).toHaveLength(1);
    expect(fake.built[0]).toMatchObject({
      target: 'std-cache',
      platform: 'linux/arm64',
      buildArgs: { GO_BUILD_IMAGE: context.images.goBuild },
    });
    expect(fake.tagged).toEqual([context.images.stdCache]);
  });

  test('kept under --no-cache, as the Go image is: a function of the Go release and arch alone', async () => {
    const fake = fakeEngine({ [context.images.stdCache]: 'arm64' });
    const result = await ensureStdCacheImage(context, 'linux/arm64', 'testos1-arm64', options(fake.engine, true));
    expect(result).toEqual({ built: false, contextBytes: 0 });
    expect(fake.built).toEqual([]);
  });

  test('compiled afresh under --no-cache when the engine does not have it', async () => {
    const fake = fakeEngine();
    await ensureStdCacheImage(context, 'linux/arm64', 'testos1-arm64', options(fake.engine, true));
    expect(fake.built.map((r) => [r.target, r.noCache])).toEqual([['std-cache', true]]);
  });

  test('rebuilt when the tag names an image of another platform', async () => {
    const fake = fakeEngine({ [context.images.stdCache]: 'amd64' });
    expect((await ensureStdCacheImage(context, 'linux/arm64', 'testos1-arm64', options(fake.engine))).built).toBe(true);
  });
});

describe("the builder stage's image", () => {
  test('starts from the cache image, and is built afresh under --no-cache though the engine has it', async () => {
    const fake = fakeEngine({ [context.images.bin]: 'arm64' });
    expect((await ensureBinImage(context, target, 'linux/arm64', 'testos1-arm64', options(fake.engine))).built).toBe(
      false,
    );
    const result = await ensureBinImage(context, target, 'linux/arm64', 'testos1-arm64', options(fake.engine, true));
    expect(result.built).toBe(true);
    expect(fake.built).toHaveLength(1);
    expect(fake.built[0]).toMatchObject({
      target: 'builder',
      noCache: true,
      buildArgs: { GO_BUILD_IMAGE: context.images.goBuild, STD_CACHE_IMAGE: context.images.stdCache },
    });
    expect(fake.tagged).toEqual([context.images.bin]);
  });
});

describe('the Go distribution image', () => {
  const bytes = Buffer.from('a verified archive, as far as this test goes');
  const dir = scratchDir('bake-go-image-');
  const path = join(dir, 'go.tar.gz');
  writeFileSync(path, bytes);
  const go = { ...fixtureGo(target), sha256: sha256Hex(bytes), path };
  const ref = goImageRef(go.sha256);
  const withLabels = (labels: Record<string, string>) => {
    const fake = fakeEngine();
    fake.engine.inspectImage = (r: string) =>
      Promise.resolve(r === ref ? ({ id: r, architecture: 'arm64', labels } as unknown as ImageDetails) : undefined);
    return fake;
  };

  test("kept when it is this archive's, for the arch, in the current layout", async () => {
    const fake = withLabels({ [GO_IMAGE_SHA256_LABEL]: go.sha256, [GO_IMAGE_LAYOUT_LABEL]: GO_IMAGE_LAYOUT });
    expect(await ensureGoImage(go, ref, options(fake.engine))).toEqual({ built: false, contextBytes: 0 });
    expect(fake.built).toEqual([]);
  });

  test('rebuilt from an older layout (its GOROOT parent carried the clock of the engine that made it)', async () => {
    const fake = withLabels({ [GO_IMAGE_SHA256_LABEL]: go.sha256 });
    expect((await ensureGoImage(go, ref, options(fake.engine))).built).toBe(true);
    expect(fake.built.map((r) => r.platform)).toEqual(['linux/arm64']);
    expect(fake.tagged).toEqual([ref]);
  });
});
