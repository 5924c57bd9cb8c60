import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import { sha256Hex } from '../../bake/common/sha256';
import type { NightlySummary } from '../../bake/nightly/nightly-summary';
import type { CatalogImage, TargetCatalog } from '../../bake/registry/types';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * `bake nightly` against a real registry (docker-registry on 127.0.0.1): publishes both
 * architectures of debian12 with multi-arch moving tags and a catalog any consumer can read
 * through the registry API; skips what is vetted; rebuilds exactly what a recipe change
 * touches; survives SIGKILL during a push; refuses a second concurrent run; prunes safely.
 * A second recipe, debian12b (amd64 only), shows which targets a change does not touch.
 */
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const host = () => services().registry.host;
const prefix = `nightly-${run}`;
const registry = () => `${host()}/${prefix}`;
let recipes: string;
let scratch: string;

async function writeRecipes(goproxy?: string): Promise<void> {
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join('recipes', f), join(recipes, f));
  const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
  await fs.writeFile(join(recipes, 'debian12.yaml'), debian12);
  const policy = goproxy ? `env:\n  GOPROXY: "${goproxy}"\n` : '';
  await fs.writeFile(join(recipes, 'debian12b.yaml'), `${debian12}\narches: [amd64]\n${policy}`);
}

function nightly(...args: string[]) {
  return bake([
    'nightly',
    '--recipes',
    recipes,
    '--go-source',
    'debian',
    '--registry',
    registry(),
    '--engine',
    services().engine.endpoint,
    '--tag-prefix',
    `bake-test-${run}`,
    ...args,
  ]);
}

const statuses = (s: NightlySummary) => Object.fromEntries(s.targets.map((t) => [t.target, t.outcome]));

/** The registry API, as any consumer would use it. */
async function registryGet(path: string, accept?: string): Promise<Response> {
  return fetch(`http://${host()}/v2/${path}`, { headers: accept ? { accept } : {} });
}

async function readCatalogThroughApi(): Promise<Record<string, TargetCatalog>> {
  const { tags } = (await (await registryGet(`${prefix}/bake-catalog/tags/list`)).json()) as { tags: string[] };
  const out: Record<string, TargetCatalog> = {};
  for (const tag of tags) {
    const manifest = (await (
      await registryGet(`${prefix}/bake-catalog/manifests/${tag}`, 'application/vnd.oci.image.manifest.v1+json')
    ).json()) as { artifactType: string; layers: { digest: string }[] };
    expect(manifest.artifactType).toBe('application/vnd.bake.catalog.v1+json');
    const blob = Buffer.from(
      await (await registryGet(`${prefix}/bake-catalog/blobs/${manifest.layers[0].digest}`)).arrayBuffer(),
    );
    expect(`sha256:${sha256Hex(blob)}`).toBe(manifest.layers[0].digest);
    out[tag] = JSON.parse(blob.toString('utf8')) as TargetCatalog;
  }
  return out;
}

async function movingTagDigests(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const repo of ['debian12-go', 'debian12-runtime', 'debian12b-go']) {
    for (const tag of ['1.27', '1.27.4']) {
      const res = await registryGet(
        `${prefix}/${repo}/manifests/${tag}`,
        'application/vnd.docker.distribution.manifest.list.v2+json',
      );
      out[`${repo}:${tag}`] = res.ok ? res.headers.get('docker-content-digest') : null;
    }
  }
  return out;
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-nightly-test-'));
  recipes = join(scratch, 'recipes');
  await fs.mkdir(recipes);
  await writeRecipes();
});

afterAll(async () => {
  for (const image of await engine.docker.listImages()) {
    for (const tag of (image.RepoTags ?? []).filter(
      (t) => t.startsWith(`bake-test-${run}/`) || t.startsWith(`${host()}/${prefix}/`),
    ))
      await engine.removeImage(tag);
  }
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('bake nightly --registry', () => {
  let first: NightlySummary;

  test('bakes and publishes every target, with reports for CI', async () => {
    const report = join(scratch, 'first');
    const r = await nightly('--report', report, '--json');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    first = JSON.parse(r.stdout) as NightlySummary;
    expect(statuses(first)).toEqual({
      'debian12-amd64': 'built',
      'debian12-arm64': 'built',
      'debian12b-amd64': 'built',
    });
    expect(await fs.readFile(join(report, 'summary.md'), 'utf8')).toContain('| debian12-arm64 | ✅ built |');
    expect(await fs.readFile(join(report, 'junit.xml'), 'utf8')).toContain('tests="3" failures="0"');
    expect(JSON.parse(await fs.readFile(join(report, 'nightly.json'), 'utf8'))).toMatchObject({
      counts: { built: 3, skipped: 0, failed: 0, unavailable: 0 },
    });
  });

  test.each(['amd64', 'arm64'])('docker pull of the moving tag on linux/%s gets that architecture', async (arch) => {
    const ref = `${registry()}/debian12-go:1.27`;
    const stream = await engine.docker.pull(ref, { platform: `linux/${arch}` });
    await new Promise((resolve, reject) =>
      engine.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(undefined))),
    );
    const image = await engine.inspectImage(ref);
    expect(image?.architecture).toBe(arch);
    expect(image?.labels['io.bake.target']).toBe(`debian12-${arch}`);
  });

  test('the catalog reads back through the registry API: every vetted image, its manifest and report', async () => {
    const catalog = await readCatalogThroughApi();
    expect(Object.keys(catalog).sort()).toEqual(['debian12-amd64', 'debian12-arm64', 'debian12b-amd64']);
    const images: CatalogImage[] = Object.values(catalog).flatMap((c) => c.images);
    expect(images.map((i) => `${i.target}/${i.kind}`).sort()).toEqual([
      'debian12-amd64/runtime',
      'debian12-amd64/toolchain',
      'debian12-arm64/runtime',
      'debian12-arm64/toolchain',
      'debian12b-amd64/runtime',
      'debian12b-amd64/toolchain',
    ]);
    for (const image of images) {
      const head = await registryGet(
        `${image.repository.slice(host().length + 1)}/manifests/${image.tag}`,
        'application/vnd.docker.distribution.manifest.v2+json',
      );
      expect(head.headers.get('docker-content-digest')).toBe(image.manifestDigest);
      const report = JSON.parse(
        Buffer.from(
          await (await registryGet(`${prefix}/bake-catalog/blobs/${image.reportDigest}`)).arrayBuffer(),
        ).toString('utf8'),
      );
      expect(report).toMatchObject({ target: image.target, passed: true });
      expect(image.summary.passed).toBe(image.summary.checks);
    }
  });

  test('a second run with no change skips every target', async () => {
    const started = Date.now();
    const r = await nightly('--json');
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    expect(statuses(JSON.parse(r.stdout) as NightlySummary)).toEqual({
      'debian12-amd64': 'skipped',
      'debian12-arm64': 'skipped',
      'debian12b-amd64': 'skipped',
    });
    expect(r.stderr).not.toContain('building on');
    console.log(
      `nightly with nothing to do: ${seconds.toFixed(1)} s (first run ${(first.durationMs / 1000).toFixed(1)} s)`,
    );
  });

  test('changing the Go policy of one recipe rebuilds exactly its targets', async () => {
    await writeRecipes('https://goproxy.cn,direct');
    const r = await nightly('--json');
    expect(r.code).toBe(0);
    expect(statuses(JSON.parse(r.stdout) as NightlySummary)).toEqual({
      'debian12-amd64': 'skipped',
      'debian12-arm64': 'skipped',
      'debian12b-amd64': 'built',
    });
    const catalog = await readCatalogThroughApi();
    expect(catalog['debian12b-amd64'].images.filter((i) => i.kind === 'toolchain')).toHaveLength(2);
  });

  test(
    'SIGKILL during a push leaves the catalog and the moving tags as they were; ' + 'the next run completes them',
    async () => {
      await writeRecipes('https://proxy.golang.org|https://goproxy.cn,direct');
      const catalogBefore = await readCatalogThroughApi();
      const tagsBefore = await movingTagDigests();
      const running = startBake([
        'nightly',
        'debian12b',
        '--recipes',
        recipes,
        '--go-source',
        'debian',
        '--registry',
        registry(),
        '--engine',
        services().engine.endpoint,
        '--tag-prefix',
        `bake-test-${run}`,
      ]);
      await waitForOutput(running, /debian12b-amd64\/toolchain: pushing /, 10 * 60_000);
      running.child.kill('SIGKILL');
      expect((await running.done).signal).toBe('SIGKILL');
      expect(await readCatalogThroughApi()).toEqual(catalogBefore);
      expect(await movingTagDigests()).toEqual(tagsBefore);

      const r = await nightly('--json');
      expect(r.stderr.split('\n').filter((l) => /^bake:|failed/.test(l))).toEqual([]);
      expect(r.code).toBe(0);
      expect(statuses(JSON.parse(r.stdout) as NightlySummary)['debian12b-amd64']).toBe('built');
      const after = await readCatalogThroughApi();
      expect(after['debian12b-amd64'].images.filter((i) => i.kind === 'toolchain')).toHaveLength(3);
      const moved = await movingTagDigests();
      expect(moved['debian12b-go:1.27']).not.toBe(tagsBefore['debian12b-go:1.27']);
      expect(moved['debian12-go:1.27']).toBe(tagsBefore['debian12-go:1.27']);
    },
  );

  test('two runs at once: the second exits with a clear message, the catalog stays valid', async () => {
    // One amd64 target is enough to hold the lock: the emulated arm64 checks would only add minutes.
    const a = startBake([
      'nightly',
      'debian12b',
      '--recipes',
      recipes,
      '--go-source',
      'debian',
      '--registry',
      registry(),
      '--engine',
      services().engine.endpoint,
      '--tag-prefix',
      `bake-test-${run}`,
      '--force',
    ]);
    await waitForOutput(a, /debian12/, 60_000);
    const b = await nightly();
    expect(b.code).toBe(ExitCode.Locked);
    expect(b.stderr).toMatch(
      /^bake: another bake nightly \(pid \d+\) is running for .*bake-catalog; it holds .*\nhint: wait for it, or pass --wait\n$/,
    );
    const ra = await a.done;
    expect(ra.code).toBe(0);
    const catalog = await readCatalogThroughApi();
    expect(Object.keys(catalog).sort()).toEqual(['debian12-amd64', 'debian12-arm64', 'debian12b-amd64']);
  });

  test('prune: the dry run and the real prune agree, and never remove what a moving tag points at', async () => {
    const args = ['registry', 'prune', '--registry', registry(), '--keep', '1', '--older-than', '0', '--json'];
    const dry = await bake([...args, '--dry-run']);
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { remove: CatalogImage[]; kept: (CatalogImage & { why: string })[] };
    // debian12b-amd64 has three vetted toolchain images of Go 1.27 by now: two of them go.
    expect(
      planned.remove
        .filter((i) => i.target === 'debian12b-amd64')
        .map((i) => i.kind)
        .sort(),
    ).toEqual(['runtime', 'runtime', 'toolchain', 'toolchain']);
    expect(planned.kept.filter((i) => i.target === 'debian12b-amd64').map((i) => `${i.kind}: ${i.why}`)).toEqual([
      'toolchain: one of the newest 1',
      'runtime: one of the newest 1',
    ]);
    expect(await readCatalogThroughApi()).toBeDefined();
    const tagsBefore = await movingTagDigests();

    const real = await bake(args);
    expect(real.code).toBe(0);
    const done = JSON.parse(real.stdout) as { remove: CatalogImage[] };
    expect(done.remove.map((i) => i.manifestDigest).sort()).toEqual(planned.remove.map((i) => i.manifestDigest).sort());
    // Every moving tag still resolves, and so does every image it points at.
    expect(await movingTagDigests()).toEqual(tagsBefore);
    for (const [ref, digest] of Object.entries(tagsBefore)) {
      if (!digest) continue;
      const [repo] = ref.split(':');
      const list = (await (
        await registryGet(
          `${prefix}/${repo}/manifests/${digest}`,
          'application/vnd.docker.distribution.manifest.list.v2+json',
        )
      ).json()) as { manifests: { digest: string }[] };
      for (const child of list.manifests)
        expect(
          (
            await registryGet(
              `${prefix}/${repo}/manifests/${child.digest}`,
              'application/vnd.docker.distribution.manifest.v2+json',
            )
          ).status,
        ).toBe(200);
    }
    // The removed ones are gone from the registry and the catalog.
    const catalog = Object.values(await readCatalogThroughApi()).flatMap((c) => c.images);
    for (const gone of done.remove) {
      expect(
        (
          await registryGet(
            `${gone.repository.slice(host().length + 1)}/manifests/${gone.manifestDigest}`,
            'application/vnd.docker.distribution.manifest.v2+json',
          )
        ).status,
      ).toBe(404);
      expect(catalog.find((i) => i.manifestDigest === gone.manifestDigest)).toBeUndefined();
    }
  });
});
