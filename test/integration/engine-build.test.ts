import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../bake/common/log';
import { BakeError, ExitCode } from '../../bake/common/errors';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import type { BaseImage } from '../../bake/engine/base/types';
import { ROOTFS_DIGEST_LABEL } from '../../bake/engine/base/base-bootstrap';
import { BuildFailedError } from '../../bake/engine/build/build-failure';
import type { DockerEngine } from '../../bake/engine/docker-engine';
import type { BuildProgressEvent } from '../../bake/engine/types';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import type { Arch, Target } from '../../bake/recipe/types';
import { ARCHES } from '../../bake/recipe/vocabulary';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';

/**
 * The engine stage on a real Docker Engine: Debian 12 bases bootstrapped from the archive
 * (mmdebstrap, first run only: the engine keeps them under their cache tag), a two-stage
 * build per architecture, a failing step, and an interrupted build.
 */

const run = randomBytes(4).toString('hex');
const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
const cacheDir = testBakeCacheDir();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const timings: string[] = [];
const repo = `bake-test/engine-${run}`;
let engine: DockerEngine;
let targets: Target[];
const bases = new Map<Arch, BaseImage>();

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(scratch, 'ctx-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'message.txt'), `hello from ${run}\n`);
  return dir;
}

const TWO_STAGE = `ARG BASE
FROM \${BASE} AS build
COPY message.txt /src/message.txt
RUN echo "machine=$(uname -m)" && cp /src/message.txt /built.txt && uname -m >> /built.txt
FROM \${BASE}
COPY --from=build /built.txt /built.txt
`;

/** Processes on this host running `sleep SECONDS` (BuildKit's RUN steps are host processes). */
function sleepers(seconds: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return predicate();
}

beforeAll(async () => {
  engine = testEngine();
  targets = expandTargets((await loadRecipes(join(__dirname, '..', '..', 'recipes'))).recipes);
});

afterAll(async () => {
  for (const image of await engine.listImages(`io.bake.test.run=${run}`)) {
    for (const tag of image.tags) await engine.removeImage(tag);
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log(`engine integration timings:\n${timings.join('\n')}`);
});

const target = (name: string) => targets.find((t) => t.name === name)!;

describe('bases', () => {
  test.each(ARCHES)(
    'debian12-%s: bootstrapped from the archive when no registry answers, then found by its cache tag',
    async (arch) => {
      const t = target(`debian12-${arch}`);
      let started = Date.now();
      let base = await ensureBaseImage(t, engine, { cacheDir, logger });
      const basesDir = join(cacheDir, 'bases');
      const keyOf = async (ref: string) => (await engine.inspectImage(ref))!.labels['io.bake.base.bootstrap-key'];
      if (!existsSync(join(basesDir, await keyOf(base.imageRef), 'rootfs.sha256'))) {
        // The engine holds this base from a run with another cache directory (the quick start,
        // or a user's build): untag it so the bootstrap into the tests' cache is observed here.
        console.log(
          `engine-build: ${base.imageRef} came from another cache directory; ` +
            "bootstrapping it again into the tests' cache",
        );
        await engine.removeImage(base.imageRef);
        started = Date.now();
        base = await ensureBaseImage(t, engine, { cacheDir, logger });
      }
      timings.push(`base debian12-${arch}: ${((Date.now() - started) / 1000).toFixed(1)} s (first call)`);
      expect(base.bootstrapped).toBe(true);
      expect(base.imageRef).toMatch(new RegExp(`^bake-base/bookworm:${arch}-[0-9a-f]{12}$`));
      expect(base.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const image = await engine.inspectImage(base.imageRef);
      expect(image?.architecture).toBe(arch);
      expect(image?.labels[ROOTFS_DIGEST_LABEL]).toBe(base.digest);
      // The rootfs is kept whole by its cache key (for other engines), and no partial file is left.
      const left = existsSync(basesDir) ? readdirSync(basesDir, { recursive: true }).map(String) : [];
      expect(left.filter((f) => f.includes('.tmp'))).toEqual([]);
      const key = await keyOf(base.imageRef);
      expect(readFileSync(join(basesDir, key, 'rootfs.sha256'), 'utf8').trim()).toBe(base.digest);

      started = Date.now();
      expect(await ensureBaseImage(t, engine, { cacheDir, logger })).toEqual(base);
      timings.push(`base debian12-${arch}: ${((Date.now() - started) / 1000).toFixed(1)} s (cached)`);
      bases.set(arch, base);
    },
  );

  test('a base that cannot be pulled and may not be bootstrapped fails at once with one line', async () => {
    const t = target('rocky9-arm64');
    const started = Date.now();
    const err = (await ensureBaseImage(t, engine, { cacheDir, logger }).catch((e: unknown) => e)) as BakeError;
    timings.push(`rocky9-arm64 base refusal: ${Date.now() - started} ms`);
    expect(err).toBeInstanceOf(BakeError);
    expect(err.exitCode).toBe(ExitCode.Unavailable);
    expect(err.message).toBe(
      `base ${t.base.ref.slice(0, t.base.ref.indexOf('@') + 20)}… for rocky9-arm64 cannot be pulled ` +
        '(no registry reachable) and the recipe does not allow bootstrapping',
    );
  });
});

describe('builds', () => {
  test.each(ARCHES)(
    'a two-stage build for linux/%s has that architecture, and ran its RUN step on it',
    async (arch) => {
      const base = bases.get(arch);
      if (!base) throw new Error(`the base for ${arch} was not prepared (see the bases test)`);
      const events: BuildProgressEvent[] = [];
      const tag = `${repo}:two-stage-${arch}`;
      const result = await engine.build({
        contextDir: context(TWO_STAGE),
        platform: `linux/${arch}`,
        tags: [tag],
        labels: { 'io.bake.test.run': run },
        buildArgs: { BASE: base.imageRef },
        noCache: true,
        onProgress: (e) => events.push(e),
      });
      timings.push(`build two-stage ${arch}: ${(result.durationMs / 1000).toFixed(1)} s, ${result.steps} steps`);
      const image = await engine.inspectImage(tag);
      expect(image?.id).toBe(result.imageId);
      expect(image?.architecture).toBe(arch);
      expect(image?.labels['io.bake.test.run']).toBe(run);
      // The RUN step's output arrives decoded from the BuildKit trace.
      const machine = arch === 'arm64' ? 'aarch64' : 'x86_64';
      expect(events.flatMap((e) => e.logs)).toContain(`machine=${machine}`);
      expect(events.some((e) => e.name.includes('COPY --from=build') && e.status === 'completed')).toBe(true);

      // Unchanged rebuild: every step from cache.
      const again = await engine.build({
        contextDir: context(TWO_STAGE),
        platform: `linux/${arch}`,
        tags: [tag],
        labels: { 'io.bake.test.run': run },
        buildArgs: { BASE: base.imageRef },
      });
      timings.push(
        `rebuild two-stage ${arch} (cached): ${(again.durationMs / 1000).toFixed(1)} s, ` +
          `${again.cachedSteps}/${again.steps} cached`,
      );
      expect(again.imageId).toBe(result.imageId);
      expect(again.cachedSteps).toBe(again.steps);
    },
  );

  test('a failing RUN fails the build with the step name and its output, and tags nothing', async () => {
    const base = bases.get('amd64')!;
    const tag = `${repo}:failing`;
    const dockerfile = `ARG BASE\nFROM \${BASE}\nRUN echo first-line-${run} && echo second-line >&2 && exit 7\n`;
    const err = (await engine
      .build({
        contextDir: context(dockerfile),
        platform: 'linux/amd64',
        tags: [tag],
        labels: { 'io.bake.test.run': run },
        buildArgs: { BASE: base.imageRef },
      })
      .catch((e: unknown) => e)) as BuildFailedError;
    expect(err).toBeInstanceOf(BuildFailedError);
    expect(err.exitCode).toBe(ExitCode.Failure);
    expect(err.step).toMatch(/^#\d+ \[2\/2\] RUN echo first-line-/);
    // stdout and stderr lines may interleave either way.
    expect([...err.output].sort()).toEqual([`first-line-${run}`, 'second-line']);
    expect(err.message.split('\n')[0]).toContain('exit code: 7');
    expect(await engine.inspectImage(tag)).toBeUndefined();
  });

  test(
    'aborting a build mid-way rejects with Interrupted, tags nothing, leaves nothing running; ' +
      'the next build succeeds',
    async () => {
      const base = bases.get('amd64')!;
      const tag = `${repo}:interrupted`;
      const seconds = `3${Number.parseInt(run.slice(0, 2), 16) % 10}.5`;
      const dockerfile = `ARG BASE\nARG SLEEP\nFROM \${BASE}\nARG SLEEP\nRUN echo sleeping-${run} && sleep \${SLEEP}\n`;
      const controller = new AbortController();
      let stepRunning!: () => void;
      const running = new Promise<void>((resolve) => (stepRunning = resolve));
      const building = engine
        .build({
          contextDir: context(dockerfile),
          platform: 'linux/amd64',
          tags: [tag],
          labels: { 'io.bake.test.run': run },
          buildArgs: { BASE: base.imageRef, SLEEP: seconds },
          noCache: true,
          onProgress: (e) => {
            if (e.logs.includes(`sleeping-${run}`)) stepRunning();
          },
          signal: controller.signal,
        })
        .catch((e: unknown) => e);
      // Abort only once the step's sleep is really running on this host.
      await Promise.race([running, building]);
      expect(await waitFor(() => sleepers(seconds).length > 0, 20_000)).toBe(true);
      const started = Date.now();
      controller.abort();
      const err = (await building) as BakeError;
      timings.push(`interrupted build rejected ${Date.now() - started} ms after the abort`);
      expect(err).toBeInstanceOf(BakeError);
      expect(err.exitCode).toBe(ExitCode.Interrupted);
      // The engine cancels the step: its sleep process goes away long before it would end.
      expect(await waitFor(() => sleepers(seconds).length === 0, 20_000)).toBe(true);
      timings.push(`sleep of the interrupted step gone ${Date.now() - started} ms after the abort`);
      expect(await engine.inspectImage(tag)).toBeUndefined();
      // BuildKit runs steps without engine containers; none may be left from the base either.
      expect(
        await engine.docker.listContainers({ all: true, filters: JSON.stringify({ ancestor: [base.imageRef] }) }),
      ).toEqual([]);

      const next = await engine.build({
        contextDir: context(dockerfile),
        platform: 'linux/amd64',
        tags: [tag],
        labels: { 'io.bake.test.run': run },
        buildArgs: { BASE: base.imageRef, SLEEP: '0.1' },
      });
      expect((await engine.inspectImage(tag))?.id).toBe(next.imageId);
    },
  );
});
