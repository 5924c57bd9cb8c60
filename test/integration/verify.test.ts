import { randomBytes } from 'node:crypto';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { planTarget } from '../../bake/render/plan-target';
import type { Report } from '../../bake/readiness/types';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import { buildBaselineImage } from '../bench/baseline-image';
import { bake } from '../support/bake-cli';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * `bake verify` on an image bake did not build: the benchmark's baseline, which unpacks the
 * same verified Go archive with tar and sets a few variables, as the seeds do by hand.
 */
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const tag = `bake-test-baseline-${randomBytes(3).toString('hex')}:amd64`;

beforeAll(async () => {
  const target = expandTargets((await loadRecipes('recipes')).recipes).find((t) => t.name === 'debian12-amd64')!;
  const ctx = {
    recipesDir: 'recipes',
    cacheDir: testBakeCacheDir(),
    policy: await loadVersionPolicy('recipes'),
    now: new Date(),
    logger,
    goSource: ['debian' as const],
    trustKeys: [],
    env: process.env,
  };
  const planned = await planTarget(ctx, target);
  const base = await ensureBaseImage(target, engine, { cacheDir: testBakeCacheDir(), logger });
  await buildBaselineImage(engine.docker, { baseImage: base.imageRef, goArchive: planned.dist.path, tag });
});

afterAll(async () => {
  await engine.removeImage(tag);
});

test('reports which checks the baseline fails and why, with exit code 5', async () => {
  const r = await bake([
    'verify',
    tag,
    '--target',
    'debian12-amd64',
    '--go-source',
    'debian',
    '--engine',
    services().engine.endpoint,
    '--json',
  ]);
  expect(r.code).toBe(ExitCode.CheckFailed);
  const report = JSON.parse(r.stdout) as Report;
  const verdict = Object.fromEntries(report.results.map((c) => [c.id, c.status]));
  // What the seeds' hand-made image gets right: the verified Go, for its platform, and a CA bundle.
  expect(verdict).toMatchObject({
    'go.version': 'pass',
    'goroot.integrity': 'pass',
    'tls.ca-bundle': 'pass',
    'secrets.none': 'pass',
  });
  // And what it misses, each with its reason.
  const reason = (id: string) => report.results.find((c) => c.id === id)!.reason;
  expect(verdict['user.non-root']).toBe('fail');
  expect(reason('user.non-root')).toMatch(/default user is root/);
  expect(verdict['go.env']).toBe('fail');
  expect(reason('go.env')).toMatch(/in go env; expected/);
  expect(report.results.find((c) => c.id === 'go.env')!.evidence[0].output).toMatch(
    /GOPROXY=https:\/\/goproxy.cn,direct/,
  );
  expect(verdict['go.login-shell']).toBe('fail');
  // It ships no standard-library cache: the first build compiles the packages bake would have cached.
  expect(verdict['go.build-cache']).toBe('fail');
  expect(reason('go.build-cache')).toMatch(/^\d+ package\(s\) were compiled, not found in the cache: /);
  expect(verdict['image.metadata']).toBe('fail');
  expect(reason('image.metadata')).toMatch(/^label .* is missing/);
  expect(r.stderr).toMatch(
    new RegExp(
      `bake: ${tag.replace(/[.:]/g, '\\$&')} fails \\d+ readiness checks of debian12-amd64: .*user\\.non-root`,
    ),
  );
});
