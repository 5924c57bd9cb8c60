import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { TargetResult } from '../../bake/pipeline/types';
import { bake } from '../support/bake-cli';
import { type RegistryService, startRegistry, stopRegistry } from '../support/services/registry-service';
import { secondEngineUnsupported, startSecondEngine, type SecondEngine } from '../support/services/second-engine';
import { createEngineNetns, type EngineNetns } from '../support/services/engine-netns';
import { testCacheDir } from '../support/test-dirs';

/**
 * `bake build --cache-to/--cache-from/--provenance` on an engine that has them: Docker 26 with
 * the containerd image store, empty at the start, and a registry of its own in the engine's
 * network namespace (the engine pushes to it as 127.0.0.1:PORT, as the host reads it).
 *
 * - The first build exports each image's build cache to REPO:<target>-<image> and pushes the
 *   images with BuildKit's SLSA provenance in their index.
 * - With the engine's build cache pruned, a rebuild with --cache-from takes its steps from
 *   that registry cache.
 * - The default engine (classic image store) refuses --provenance with what to enable.
 */
const why = secondEngineUnsupported();
if (why) console.warn(`SKIPPED buildkit-features test: ${why}`);
const suite = why ? describe.skip : describe;
const prefix = `bake-test-features-${process.pid}`;
let netns: EngineNetns;
let engine: SecondEngine;
let registry: RegistryService;
const dir = join(testCacheDir(), 'engine-features');
const config = join(dir, 'daemon.json');

/** An empty engine each time: no image, no build cache. */
const startEngine = () => startSecondEngine(dir, { args: [`--config-file=${config}`], netns });

async function build(...extra: string[]): Promise<TargetResult> {
  const r = await bake([
    'build',
    'debian12-amd64',
    '--go-source',
    'debian',
    '--engine',
    engine.endpoint,
    '--tag-prefix',
    prefix,
    '--json',
    ...extra,
  ]);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  const [result] = JSON.parse(r.stdout) as TargetResult[];
  expect([result.status, result.engine]).toEqual(['vetted', engine.endpoint]);
  return result;
}

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', ...INDEX_TYPES];

interface Descriptor {
  mediaType: string;
  digest: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

async function registryGet(path: string, accept = MANIFEST_TYPES): Promise<Response> {
  const response = await fetch(`http://${registry.host}/v2/${path}`, { headers: { Accept: accept.join(', ') } });
  if (!response.ok) throw new Error(`GET /v2/${path}: ${response.status}`);
  return response;
}

const json = async <T>(path: string): Promise<T> => (await (await registryGet(path)).json()) as T;

suite('BuildKit features through docker buildx', () => {
  beforeAll(async () => {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(config, JSON.stringify({ features: { 'containerd-snapshotter': true } }));
    netns = createEngineNetns({ name: 'bake-engine3', prefix: '10.203.78' });
    registry = await startRegistry(join(dir, 'registry'), netns);
    engine = await startEngine();
  });

  afterAll(async () => {
    await engine?.stop();
    if (registry) await stopRegistry(registry);
    netns?.remove();
  });

  test('--cache-to exports each image build cache; --provenance pushes SLSA provenance with the images', async () => {
    const result = await build(
      '--cache-to',
      `${registry.host}/cache`,
      '--provenance',
      '--push',
      `${registry.host}/golden`,
    );
    const { tags } = await json<{ tags: string[] }>('cache/tags/list');
    expect(tags.sort()).toEqual(['debian12-amd64-builder', 'debian12-amd64-runtime', 'debian12-amd64-toolchain']);

    for (const image of result.images) {
      const tag = image.immutableRef!.slice(image.immutableRef!.lastIndexOf(':') + 1);
      const repository = image.immutableRef!.slice(prefix.length + 1, image.immutableRef!.lastIndexOf(':'));
      const index = await json<{ mediaType: string; manifests: Descriptor[] }>(`golden/${repository}/manifests/${tag}`);
      expect(INDEX_TYPES).toContain(index.mediaType);
      const imageManifest = index.manifests.find((m) => m.platform?.architecture === 'amd64');
      const attestation = index.manifests.find(
        (m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
      );
      expect(imageManifest).toBeDefined();
      expect(attestation?.annotations?.['vnd.docker.reference.digest']).toBe(imageManifest!.digest);

      const statements = await json<{ layers: Descriptor[] }>(`golden/${repository}/manifests/${attestation!.digest}`);
      const provenanceLayer = statements.layers.find((l) =>
        /slsa\.dev\/provenance/.test(l.annotations?.['in-toto.io/predicate-type'] ?? ''),
      );
      expect(provenanceLayer?.mediaType).toBe('application/vnd.in-toto+json');
      const statement = (await (
        await registryGet(`golden/${repository}/blobs/${provenanceLayer!.digest}`, ['*/*'])
      ).json()) as {
        predicateType: string;
        predicate: { buildType?: string; invocation?: { parameters?: { args?: Record<string, string> } } };
      };
      // The image it attests is named by the attestation manifest's reference annotation (above).
      expect(statement.predicateType).toMatch(/^https:\/\/slsa\.dev\/provenance\//);
      expect(statement.predicate.buildType).toBe('https://mobyproject.org/buildkit@v1');
      // mode=max records the build's inputs: bake's build args are there.
      expect(statement.predicate.invocation?.parameters?.args?.['build-arg:SOURCE_DATE_EPOCH']).toMatch(/^\d+$/);
      // The moving tag's multi-arch index carries the image and its attestation alike.
      const moving = await json<{ manifests: Descriptor[] }>(`golden/${repository}/manifests/1.27`);
      expect(moving.manifests.map((m) => m.digest)).toEqual([imageManifest!.digest, attestation!.digest]);
      console.log(`${image.kind}: provenance ${provenanceLayer!.annotations!['in-toto.io/predicate-type']}`);
    }
  });

  test('--cache-from: a new, empty engine takes its build steps from the registry cache', async () => {
    await engine.stop();
    engine = await startEngine();
    const result = await build('--cache-from', `${registry.host}/cache`);
    const cached = Object.fromEntries(result.images.map((i) => [i.kind, `${i.build!.cachedSteps}/${i.build!.steps}`]));
    console.log(`cached steps on an empty engine with --cache-from: ${JSON.stringify(cached)}`);
    // Every step but the context's own loading comes from the cache the first build exported,
    // the toolchain's steps that read the builder stage's image included: that image, built again
    // on the new engine, is bit-identical to the first engine's (cache entry times cleared).
    const counts = Object.fromEntries(result.images.map((i) => [i.kind, i.build!]));
    expect(counts.runtime.cachedSteps).toBeGreaterThanOrEqual(counts.runtime.steps - 1);
    expect(counts.toolchain.cachedSteps).toBeGreaterThanOrEqual(counts.toolchain.steps - 1);
  });

  test('an engine with the classic image store refuses --provenance, naming what to enable', async () => {
    const r = await bake([
      'build',
      'debian12-amd64',
      '--go-source',
      'debian',
      '--force',
      '--provenance',
      '--tag-prefix',
      prefix,
    ]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/containerd image store/);
  });
});
