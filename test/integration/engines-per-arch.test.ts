import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetResult } from '../../bake/pipeline/types';
import { bake } from '../support/bake-cli';
import { secondEngineUnsupported, startSecondEngine, type SecondEngine } from '../support/services/second-engine';
import { testCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Engines per architecture: two Docker engines on one machine (two sockets), amd64 mapped to
 * the first and arm64 to the second, as a native arm64 builder would be. Each target is built
 * on its own engine, and its images exist only there.
 */
const why = secondEngineUnsupported();
if (why) console.warn(`SKIPPED engines-per-arch test: ${why}`);
const suite = why ? describe.skip : describe;
const prefix = `bake-test-engines-${process.pid}`;
let second: SecondEngine;
let recipes: string;

suite('bake build with --engine amd64=... --engine arm64=...', () => {
  beforeAll(async () => {
    second = await startSecondEngine(join(testCacheDir(), 'engine2'));
    // The toolchain image alone: the mapping is what is tested, and each image kind built under
    // emulation on an empty engine costs minutes.
    recipes = await fs.mkdtemp(join(tmpdir(), 'bake-engines-recipes-'));
    for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
      await fs.copyFile(join('recipes', f), join(recipes, f));
    const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
    await fs.writeFile(join(recipes, 'debian12.yaml'), `${debian12}\nkinds: [toolchain]\n`);
  });

  afterAll(async () => {
    for (const engine of [testEngine(), second?.engine]) {
      if (!engine) continue;
      for (const image of await engine.docker.listImages())
        for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${prefix}/`)))
          await engine.removeImage(tag);
    }
    await second?.stop();
    if (recipes) await fs.rm(recipes, { recursive: true, force: true });
  });

  test('each target is built, checked and tagged on the engine of its architecture', async () => {
    const first = services().engine.endpoint;
    const r = await bake([
      'build',
      '--recipes',
      recipes,
      'debian12-amd64',
      'debian12-arm64',
      '--go-source',
      'debian',
      '--engine',
      `amd64=${first}`,
      '--engine',
      `arm64=${second.endpoint}`,
      '--tag-prefix',
      prefix,
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
    const results = JSON.parse(r.stdout) as TargetResult[];
    expect(results.map((t) => [t.target, t.status, t.engine])).toEqual([
      ['debian12-amd64', expect.stringMatching(/^(vetted|up-to-date)$/), first],
      ['debian12-arm64', expect.stringMatching(/^(vetted|up-to-date)$/), second.endpoint],
    ]);
    for (const [engine, own, other] of [
      [testEngine(), 'amd64', 'arm64'],
      [second.engine, 'arm64', 'amd64'],
    ] as const) {
      expect((await engine.inspectImage(`${prefix}/debian12-go:1.27-${own}`))?.architecture).toBe(own);
      expect(await engine.inspectImage(`${prefix}/debian12-go:1.27-${other}`)).toBeUndefined();
    }
  });
});
