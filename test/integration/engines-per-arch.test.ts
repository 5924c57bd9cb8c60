import { join } from 'node:path';
import type { DockerEngine } from '../../bake/engine/docker-engine';
import type { TargetResult } from '../../bake/pipeline/types';
import { bake } from '../support/bake-cli';
import { imageDifferences, type Ids } from '../support/image-differences';
import { secondEngineUnsupported, startSecondEngine, type SecondEngine } from '../support/services/second-engine';
import { testCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Two Docker engines on one machine (two sockets), as a site with a builder per architecture
 * has. The second starts empty: no image, no build cache.
 *
 * - Engines per architecture: amd64 mapped to the second engine, arm64 to the integration
 *   engine (which holds the emulated arm64 build of the other suites); each target is built,
 *   checked and tagged on its own engine, and its images exist only there.
 * - Same plan, same image: debian12-amd64 from the empty engine has the image ids (config
 *   digests, which name every layer) the integration engine gives it, and again with
 *   `--force --no-cache`. When they differ, the layers and config fields that differ are printed.
 */
const why = secondEngineUnsupported();
if (why) console.warn(`SKIPPED engines-per-arch test: ${why}`);
const suite = why ? describe.skip : describe;
const prefix = `bake-test-engines-${process.pid}`;
let second: SecondEngine;

async function build(targets: string[], engines: string[], ...extra: string[]): Promise<TargetResult[]> {
  const r = await bake([
    'build',
    ...targets,
    '--go-source',
    'debian',
    ...engines.flatMap((e) => ['--engine', e]),
    '--tag-prefix',
    prefix,
    '--json',
    ...extra,
  ]);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as TargetResult[];
}

const idsOf = (result: TargetResult): Ids => Object.fromEntries(result.images.map((i) => [i.kind, i.imageId]));

async function removeTags(engine: DockerEngine): Promise<void> {
  for (const image of await engine.docker.listImages())
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${prefix}/`))) await engine.removeImage(tag);
}

suite('two engines', () => {
  let fresh: Ids;

  beforeAll(async () => {
    second = await startSecondEngine(join(testCacheDir(), 'engine2'));
  });

  afterAll(async () => {
    await removeTags(testEngine());
    if (second) await removeTags(second.engine);
    await second?.stop();
  });

  test('--engine amd64=... --engine arm64=...: each target is built, checked and tagged on its engine', async () => {
    const main = services().engine.endpoint;
    const results = await build(['debian12-amd64', 'debian12-arm64'], [`amd64=${second.endpoint}`, `arm64=${main}`]);
    expect(results.map((t) => [t.target, t.status, t.engine])).toEqual([
      ['debian12-amd64', 'vetted', second.endpoint],
      ['debian12-arm64', expect.stringMatching(/^(vetted|up-to-date)$/), main],
    ]);
    for (const [engine, own, other] of [
      [second.engine, 'amd64', 'arm64'],
      [testEngine(), 'arm64', 'amd64'],
    ] as const) {
      expect((await engine.inspectImage(`${prefix}/debian12-go:1.27-${own}`))?.architecture).toBe(own);
      expect(await engine.inspectImage(`${prefix}/debian12-go:1.27-${other}`)).toBeUndefined();
    }
    fresh = idsOf(results[0]);
  });

  test('the same plan gives the same image ids on an empty engine, and again with --force --no-cache', async () => {
    if (!fresh) throw new Error('the empty engine built nothing (see the test before)');
    const [first] = await build(['debian12-amd64'], [services().engine.endpoint]);
    const [again] = await build(['debian12-amd64'], [second.endpoint], '--force', '--no-cache');
    const report = {
      otherEngine: await imageDifferences([testEngine(), idsOf(first)], [second.engine, fresh]),
      noCacheRebuild: await imageDifferences([second.engine, fresh], [second.engine, idsOf(again)]),
    };
    console.log(`image ids: ${JSON.stringify({ first: idsOf(first), fresh, again: idsOf(again) })}`);
    expect(Object.keys(fresh).sort()).toEqual(['runtime', 'toolchain']);
    expect(report).toEqual({
      otherEngine: { toolchain: [], runtime: [] },
      noCacheRebuild: { toolchain: [], runtime: [] },
    });
    expect(idsOf(first)).toEqual(fresh);
    expect(idsOf(again)).toEqual(fresh);
  });
});
