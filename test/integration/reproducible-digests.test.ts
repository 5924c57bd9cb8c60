import { join } from 'node:path';
import type { DockerEngine } from '../../bake/engine/docker-engine';
import type { TargetResult } from '../../bake/pipeline/types';
import { bake } from '../support/bake-cli';
import { secondEngineUnsupported, startSecondEngine, type SecondEngine } from '../support/services/second-engine';
import { testCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Same plan, same image: debian12-amd64 built on the integration engine, then on a second
 * engine with an empty build cache, then there again with `--force --no-cache`. Both image
 * kinds must come out with one image id (the config digest, which names every layer) each time.
 * When they do not, the layers that differ are printed: that is what remains to fix.
 */
const why = secondEngineUnsupported();
if (why) console.warn(`SKIPPED reproducible-digests test: ${why}`);
const suite = why ? describe.skip : describe;
const prefix = `bake-test-repro-${process.pid}`;
let second: SecondEngine;

async function build(endpoint: string, ...extra: string[]): Promise<Ids> {
  const r = await bake([
    'build',
    'debian12-amd64',
    '--go-source',
    'debian',
    '--engine',
    endpoint,
    '--tag-prefix',
    prefix,
    '--json',
    ...extra,
  ]);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  const [result] = JSON.parse(r.stdout) as TargetResult[];
  return Object.fromEntries(result.images.map((i) => [i.kind, i.imageId]));
}

/** Per kind, the layers of `b` that are not those of `a`, for the report. */
type Ids = Record<string, string>;

async function differingLayers(a: DockerEngine, b: DockerEngine, ids: [Ids, Ids]) {
  const out: Record<string, string[]> = {};
  for (const kind of Object.keys(ids[0])) {
    const layers = async (engine: DockerEngine, id: string) =>
      (await engine.docker.getImage(id).inspect()).RootFS.Layers ?? [];
    const [la, lb] = [await layers(a, ids[0][kind]), await layers(b, ids[1][kind])];
    out[kind] = lb.map((l, i) => (la[i] === l ? '' : `layer ${i}: ${la[i] ?? 'none'} -> ${l}`)).filter(Boolean);
  }
  return out;
}

async function removeTags(engine: DockerEngine): Promise<void> {
  for (const image of await engine.docker.listImages())
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${prefix}/`))) await engine.removeImage(tag);
}

suite('the same plan gives the same image digests', () => {
  beforeAll(async () => {
    second = await startSecondEngine(join(testCacheDir(), 'engine-repro'), {
      netns: { name: 'bake-engrepro', prefix: '10.203.80' },
    });
  });

  afterAll(async () => {
    await removeTags(testEngine());
    if (second) await removeTags(second.engine);
    await second?.stop();
  });

  test('on another engine with an empty cache, and again there with --force --no-cache', async () => {
    const first = await build(services().engine.endpoint);
    const fresh = await build(second.endpoint);
    const again = await build(second.endpoint, '--force', '--no-cache');
    const report = {
      otherEngine: await differingLayers(testEngine(), second.engine, [first, fresh]),
      noCacheRebuild: await differingLayers(second.engine, second.engine, [fresh, again]),
    };
    console.log(`image ids: ${JSON.stringify({ first, fresh, again })}\ndiffering layers: ${JSON.stringify(report)}`);
    expect(Object.keys(first).sort()).toEqual(['runtime', 'toolchain']);
    expect(report).toEqual({
      otherEngine: { toolchain: [], runtime: [] },
      noCacheRebuild: { toolchain: [], runtime: [] },
    });
    expect(fresh).toEqual(first);
    expect(again).toEqual(first);
  });
});
