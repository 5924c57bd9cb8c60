// `npm run bench`: bake against the seeds' hand-made way (the baseline: a plain Dockerfile that
// unpacks the same Go tarball with tar and sets ENV, built with the engine's classic builder),
// on this machine, in one run, with the same base and the same verified Go archive. Prints a
// table and writes bench-results/bench-<time>.json with every figure and bake/baseline ratios.
// `npm run bench -- --only startup` measures only what needs no image build of its own: the
// CLI's startup and a nightly of the whole matrix with nothing to do, against `node -e 0`.
import { PROBE_NAME } from '../../bake/render/probe';
import { BUILDER_OUT } from '../../bake/render/run-steps';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../bake/common/log';
import { defaultCacheDir, defaultStateDir } from '../../bake/common/paths';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import { connectEngine } from '../../bake/engine/daemon/embedded-engine';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { bakeTarget, type BakeTargetInput } from '../../bake/pipeline/bake-target';
import { planTarget } from '../../bake/render/plan-target';
import type { PlanContext } from '../../bake/plan/types';
import type { PlannedTarget } from '../../bake/render/types';
import { verifyImage } from '../../bake/readiness/verify-image';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import type { GoSourceKind } from '../../bake/recipe/types';
import { packageRoot } from '../../bake/common/package-root';
import { LocalCatalogStore } from '../../bake/registry/local-catalog';
import { ensureHostPackages } from '../support/services/host-packages';
import { startRegistry, stopRegistry } from '../support/services/registry-service';
import { buildBaselineImage } from './baseline-image';
import { imageFigures, PUBLISHED_MIB } from './image-figures';
import { median } from './median';
import { noOpNightlyFigures, type NoOpNightlyFigures } from './noop-nightly';
import { startupFigures, type StartupFigures } from './startup';

const TARGET = process.env.BAKE_BENCH_TARGET ?? 'debian12-amd64';
const GO_SOURCES = (process.env.BAKE_BENCH_GO_SOURCE ?? 'debian').split(',') as GoSourceKind[];
const PREFIX = 'bake-bench';
/**
 * The i-th policy-only change: another module proxy in front of the same fallback. New on every
 * run: a value an earlier run built would be a build-cache hit for bake and the baseline alike.
 */
const RUN_STAMP = Date.now().toString(36);
const changedGoproxy = (i: number) => `https://goproxy.cn/bench-${RUN_STAMP}-${i},direct`;
/** Policy-only rebuilds per side, each a new value: a fifth of a second is at the mercy of one slow moment. */
const POLICY_SAMPLES = 5;

interface Figures {
  coldBuildS: number;
  /** The same, on an engine that has not compiled this Go release's standard-library cache yet. */
  firstReleaseColdBuildS: number;
  warmRebuildS: number;
  policyChangeRebuildS: number;
  readinessSuiteS: number;
  imageSizeMiB: number;
  /** What one build uploads to the engine. */
  contextKiB: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

/** Rows measured against `node -e 0` in the same run: the CLI's startup and a no-op nightly of every target. */
interface QuickFigures {
  startup: StartupFigures;
  noOpNightly: NoOpNightlyFigures & { ratioToNode: number };
}

async function quickFigures(say: ReturnType<typeof createLogger>): Promise<QuickFigures> {
  const root = packageRoot(__dirname);
  // First, while nothing else runs: what a command costs before it does anything.
  const startup = startupFigures(root);
  say.info(`startup: bake --version ${startup.versionS} s, --help ${startup.helpS} s, node -e 0 ${startup.nodeS} s`);
  const reportDir = await fs.mkdtemp(join(tmpdir(), 'bake-bench-nightly-'));
  const noOp = await noOpNightlyFigures({
    root,
    stateDir: join(root, 'bench-results', 'nightly-state'),
    reportDir,
    goSources: GO_SOURCES,
    tagPrefix: PREFIX,
    runs: 3,
    say: (line) => say.info(line),
  }).finally(() => fs.rm(reportDir, { recursive: true, force: true }));
  const noOpNightly = { ...noOp, ratioToNode: round(noOp.medianS / startup.nodeS, 1) };
  say.info(
    `no-op nightly of ${noOp.targets} targets (${noOp.skipped} skipped, ${noOp.unavailable} unavailable): ` +
      `${noOp.medianS} s (${noOp.medianWithoutArchiveS} s without the archive refresh)`,
  );
  return { startup, noOpNightly };
}

function quickLines({ startup, noOpNightly: n }: QuickFigures): string {
  return (
    `startup: bake --version ${startup.versionS} s, bake --help ${startup.helpS} s, node -e 0 ${startup.nodeS} s ` +
    `(ratios ${startup.versionRatio}, ${startup.helpRatio})\n` +
    `no-op nightly of all ${n.targets} targets (${n.skipped} skipped, ${n.unavailable} unavailable): ` +
    `median ${n.medianS} s of ${n.runsS.join(' s, ')} s (${n.ratioToNode}x node -e 0); ` +
    `without the Debian archive refresh (${n.archiveRefreshS.join(' s, ')} s) ${n.medianWithoutArchiveS} s; ` +
    `priming run ${n.primingS} s, built ${n.primingBuilt}\n`
  );
}

async function writeResult(name: string, result: object): Promise<string> {
  await fs.mkdir('bench-results', { recursive: true });
  const file = join('bench-results', `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const logger = createLogger({ quiet: !process.env.BAKE_BENCH_VERBOSE });
  const say = createLogger();
  const only = onlyArgument(process.argv.slice(2));
  const quick = await quickFigures(say);
  if (only === 'startup') {
    const file = await writeResult('bench-startup', { schema: 'bake.bench.startup/v1', date: new Date(), ...quick });
    process.stdout.write(`${quickLines(quick)}written: ${file}\n`);
    // What the priming nightly baked is in its catalog; its tags in the engine are of no further use.
    if (quick.noOpNightly.primingBuilt > 0)
      await removeBenchTags(await connectEngine({ stateDir: defaultStateDir(), logger }));
    return;
  }
  const { startup } = quick;
  // The nightly row publishes to a real registry: installed now, not found missing at the end.
  await ensureHostPackages((line) => say.info(line), ['docker-registry']);
  const cacheDir = defaultCacheDir();
  const stateDir = defaultStateDir();
  const engine = await connectEngine({ stateDir, logger });
  const ctx: PlanContext = {
    recipesDir: 'recipes',
    cacheDir,
    policy: await loadVersionPolicy('recipes'),
    now: new Date(),
    logger,
    goSource: GO_SOURCES,
    trustKeys: [],
    env: process.env,
  };
  const targets = expandTargets((await loadRecipes('recipes')).recipes);
  const target = targets.find((t) => t.name === TARGET);
  if (!target) throw new Error(`no target ${TARGET}`);
  const planned = await planTarget(ctx, target);
  const base = await ensureBaseImage(target, engine, { cacheDir, logger });
  const work = await fs.mkdtemp(join(tmpdir(), 'bake-bench-'));
  const reports = new LocalCatalogStore(join(work, 'catalog'));
  say.info(
    `bench: ${TARGET}, Go ${planned.plan.go.version} (${planned.plan.go.source}), ` +
      `base ${base.imageRef}, engine ${engine.endpoint}`,
  );

  const input = (plan: PlannedTarget = planned): BakeTargetInput => ({
    plan: plan.plan,
    contexts: plan.contexts.filter((c) => c.kind === 'toolchain'),
    dist: plan.dist,
    builderDist: plan.builderDist,
    engine,
    reports,
    workDir: join(work, 'contexts'),
    reportDir: join(work, 'reports'),
    cacheDir,
    env: process.env,
    tagPrefix: PREFIX,
    runId: 'bench',
    now: new Date(),
    force: false,
    logger,
  });
  // Everything but the readiness suite: the Go and builder images bake builds first count too.
  const buildSeconds = (r: Awaited<ReturnType<typeof bakeTarget>>) =>
    (r.durationMs - r.images.reduce((sum, i) => sum + (i.checkMs ?? 0), 0)) / 1000;
  const expectStatus = (r: Awaited<ReturnType<typeof bakeTarget>>, status: string) => {
    if (r.status !== status) throw new Error(`${r.target}: ${r.status}, expected ${status}: ${r.message ?? ''}`);
  };

  // bake: cold (no build cache; the base image stays, and so do the images bake keeps per Go
  // release), then unchanged, then a policy change. First the cold build of a Go release this
  // engine has not met: it also compiles the standard library's cache, once per release and arch.
  const pruneBuildCache = async () =>
    // dockerode's types give pruneBuilder a callback only; without one it returns a promise.
    // eslint-disable-next-line @typescript-eslint/await-thenable
    await engine.docker.pruneBuilder({ all: true } as never);
  await engine.removeImage(planned.contexts[0].images.stdCache);
  await pruneBuildCache();
  const firstReleaseCold = await bakeTarget({ ...input(), force: true, noCache: true });
  expectStatus(firstReleaseCold, 'vetted');
  await pruneBuildCache();
  const [cold, coldWall] = await timed(() => bakeTarget({ ...input(), force: true, noCache: true }));
  expectStatus(cold, 'vetted');
  say.info(`bake cold: build ${buildSeconds(cold).toFixed(1)} s, with readiness and tagging ${coldWall.toFixed(1)} s`);
  const [warm, warmWall] = await timed(() => bakeTarget(input()));
  expectStatus(warm, 'up-to-date');
  const [forced, forcedWall] = await timed(() => bakeTarget({ ...input(), force: true }));
  expectStatus(forced, 'vetted');
  const policyRuns: { buildS: number; wallS: number; cachedSteps: number; steps: number }[] = [];
  for (let i = 0; i < POLICY_SAMPLES; i++) {
    // Planned as a recipe edit is: the same Go, base and package pins, only the policy differs.
    const changedPlan = await planTarget(ctx, { ...target, env: { ...target.env, GOPROXY: changedGoproxy(i) } });
    if (JSON.stringify(changedPlan.plan.packages) !== JSON.stringify(planned.plan.packages))
      throw new Error('the policy-only change changed the planned OS packages');
    const [changed, wallS] = await timed(() => bakeTarget(input(changedPlan)));
    expectStatus(changed, 'vetted');
    const build = changed.images[0].build;
    if (!build || build.cachedSteps >= build.steps)
      throw new Error('the policy-only change rebuilt no step: it measured the build cache, not a rebuild');
    policyRuns.push({ buildS: buildSeconds(changed), wallS, cachedSteps: build.cachedSteps, steps: build.steps });
  }
  const bakeImage = cold.images[0];
  const probe = await engine.readImageFile(planned.contexts[0].images.bin, `${BUILDER_OUT.probe}/${PROBE_NAME}`);
  const [, bakeSuite] = await timed(() =>
    verifyImage({
      docker: engine.docker,
      image: bakeImage.imageId,
      kind: 'toolchain',
      plan: planned.plan,
      goArchivePath: planned.dist.path,
      probe,
      runId: 'bench',
      now: new Date(),
      logger,
    }),
  );
  const bakeSize = (await engine.inspectImage(bakeImage.imageId))!.sizeBytes;

  // Whole targets, both image kinds, every step afresh: amd64 twice (the same image ids?), then
  // arm64 on this amd64 machine, where only package installs run under emulation.
  const fullBuild = async (plan: PlannedTarget) => {
    const [r, wall] = await timed(() =>
      bakeTarget({ ...input(plan), contexts: plan.contexts, force: true, noCache: true }),
    );
    expectStatus(r, 'vetted');
    const ids = Object.fromEntries(r.images.map((i) => [i.kind, i.imageId]));
    return { wall, ids, contextBytes: Object.fromEntries(r.images.map((i) => [i.kind, i.build?.contextBytes ?? 0])) };
  };
  const amd64 = [await fullBuild(planned), await fullBuild(planned)];
  const reproducible = Object.fromEntries(
    Object.keys(amd64[0].ids).map((k) => [k, amd64[0].ids[k] === amd64[1].ids[k]]),
  );
  const images = await imageFigures(engine.docker, {
    runtime: amd64[0].ids.runtime,
    toolchain: amd64[0].ids.toolchain,
    base: base.imageRef,
    go: planned.contexts[0].images.go,
  });
  say.info(
    `images: runtime ${images.runtimeMiB} MiB (${images.runtimeCompressedMiB} compressed), toolchain ` +
      `${images.toolchainMiB} MiB with a ${images.warmCacheMiB} MiB build cache ` +
      `(floor ${images.toolchainFloorMiB} MiB); ` +
      `first build ${images.firstBuildS} s, second ${images.secondBuildS} s`,
  );
  const armTarget = targets.find((t) => t.name === TARGET.replace(/amd64$/, 'arm64'));
  const armPlanned = armTarget ? await planTarget(ctx, armTarget) : undefined;
  const arm64 = armPlanned ? await fullBuild(armPlanned) : undefined;
  // The same builds on an engine that has not compiled this Go release's standard-library cache
  // for the arch yet (compiled natively for both: the ratio as it stood before bake kept it).
  const firstReleaseBuild = async (plan: PlannedTarget) => {
    await engine.removeImage(plan.contexts[0].images.stdCache);
    return fullBuild(plan);
  };
  const firstRelease = {
    amd64: await firstReleaseBuild(planned),
    arm64: armPlanned ? await firstReleaseBuild(armPlanned) : undefined,
  };
  say.info(
    `full --no-cache builds: amd64 ${amd64[0].wall.toFixed(1)} s, ${amd64[1].wall.toFixed(1)} s` +
      (arm64 ? `, arm64 ${arm64.wall.toFixed(1)} s` : '') +
      `; identical image ids: ${JSON.stringify(reproducible)}`,
  );

  // baseline: the same steps with the classic builder.
  const baselineTag = `${PREFIX}/baseline:${TARGET}`;
  const baseline = { baseImage: base.imageRef, goArchive: planned.dist.path, tag: baselineTag };
  const [baseColdBuild, baseCold] = await timed(() =>
    buildBaselineImage(engine.docker, { ...baseline, noCache: true }),
  );
  const [, baseWarm] = await timed(() => buildBaselineImage(engine.docker, baseline));
  const baseChangedRuns: number[] = [];
  for (let i = 0; i < POLICY_SAMPLES; i++) {
    const [, seconds] = await timed(() =>
      buildBaselineImage(engine.docker, {
        ...baseline,
        tag: `${baselineTag}-policy`,
        editDockerfile: (t) => t.replace(/GOPROXY=\S+/, `GOPROXY=${changedGoproxy(i)}`),
      }),
    );
    baseChangedRuns.push(seconds);
  }
  const samples = (values: number[]) => values.map((v) => v.toFixed(3)).join(', ');
  say.info(
    `policy-only rebuilds: bake ${samples(policyRuns.map((r) => r.buildS))} s; ` +
      `baseline ${samples(baseChangedRuns)} s`,
  );
  const [baseReport, baseSuite] = await timed(() =>
    verifyImage({
      docker: engine.docker,
      image: baselineTag,
      kind: 'toolchain',
      plan: planned.plan,
      goArchivePath: planned.dist.path,
      probe,
      runId: 'bench',
      now: new Date(),
      logger,
    }),
  );
  const baseSize = (await engine.inspectImage(baselineTag))!.sizeBytes;

  // nightly against a real registry: the first run publishes, the second finds nothing to do.
  const registry = await startRegistry(join(work, 'registry'));
  const nightlyArgs = [
    'nightly',
    'debian12-amd64',
    'debian12-arm64',
    '--registry',
    `${registry.host}/bench`,
    '--go-source',
    GO_SOURCES.join(','),
    '--report',
    join(work, 'nightly'),
  ];
  let nightlyFirst: number;
  let nightlySecond: number;
  try {
    [, nightlyFirst] = await timed(() => runBake(nightlyArgs));
    [, nightlySecond] = await timed(() => runBake(nightlyArgs));
  } finally {
    await stopRegistry(registry);
  }
  say.info(`nightly: first run ${nightlyFirst.toFixed(1)} s, second run (nothing to do) ${nightlySecond.toFixed(1)} s`);

  const MiB = 1024 * 1024;
  const bake: Figures = {
    coldBuildS: buildSeconds(cold),
    firstReleaseColdBuildS: buildSeconds(firstReleaseCold),
    warmRebuildS: warmWall,
    policyChangeRebuildS: median(policyRuns.map((r) => r.buildS)),
    readinessSuiteS: bakeSuite,
    imageSizeMiB: bakeSize / MiB,
    contextKiB: (bakeImage.build?.contextBytes ?? 0) / 1024,
  };
  const base_: Figures = {
    coldBuildS: baseCold,
    firstReleaseColdBuildS: baseCold,
    warmRebuildS: baseWarm,
    policyChangeRebuildS: median(baseChangedRuns),
    readinessSuiteS: baseSuite,
    imageSizeMiB: baseSize / MiB,
    contextKiB: baseColdBuild.contextBytes / 1024,
  };
  const ratios = Object.fromEntries(
    Object.keys(bake).map((k) => [k, round(bake[k as keyof Figures] / base_[k as keyof Figures], 3)]),
  );
  const result = {
    schema: 'bake.bench/v1',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, engine: engine.endpoint },
    target: TARGET,
    go: { version: planned.plan.go.version, source: planned.plan.go.source },
    bake: roundAll(bake),
    baseline: roundAll(base_),
    ratios,
    notes: {
      coldBuildS:
        'empty build cache, base image present; bake: the whole target without its readiness suite ' +
        '(the builder image, the toolchain image, tags), with the images it keeps per Go release and arch ' +
        '(the Go tree, the standard-library cache); baseline: its one build',
      firstReleaseColdBuildS:
        "the same, after removing the standard-library cache's image: bake compiles it too (once per " +
        'Go release and arch on an engine)',
      bakeColdWithChecksS: round(coldWall, 2),
      warmRebuildS:
        'bake: the whole `bake build` of an unchanged target (inputs digest already vetted: no engine build); ' +
        'baseline: classic builder rebuild, all steps cached',
      bakeForcedRebuildWithChecksS: round(forcedWall, 2),
      policyChangeRebuildS:
        `median of ${POLICY_SAMPLES} builds per side, each after changing only GOPROXY to a new value ` +
        `(bake: ${policyRuns[0].cachedSteps}/${policyRuns[0].steps} steps cached; ` +
        `${round(median(policyRuns.map((r) => r.wallS)), 2)} s with checks and tags)`,
      policyChangeRebuildSamplesS: {
        bake: policyRuns.map((r) => round(r.buildS, 3)),
        baseline: baseChangedRuns.map((s) => round(s, 3)),
      },
      baselineChecksFailed: baseReport.results.filter((r) => r.status === 'fail').map((r) => r.id),
    },
    startup,
    noOpNightly: quick.noOpNightly,
    fullNoCacheBuilds: {
      note: 'bake build of both image kinds with --force --no-cache: wall time with checks and tags',
      amd64S: amd64.map((b) => round(b.wall)),
      arm64S: arm64 ? round(arm64.wall) : null,
      ratioArm64ToAmd64: arm64 ? round(arm64.wall / amd64[0].wall, 3) : null,
      firstReleaseNote: "the same after removing the arch's standard-library cache image (compiled afresh)",
      firstReleaseAmd64S: round(firstRelease.amd64.wall),
      firstReleaseArm64S: firstRelease.arm64 ? round(firstRelease.arm64.wall) : null,
      firstReleaseRatioArm64ToAmd64: firstRelease.arm64
        ? round(firstRelease.arm64.wall / firstRelease.amd64.wall, 3)
        : null,
      contextBytes: amd64[0].contextBytes,
      identicalImageIds: reproducible,
    },
    images: {
      note:
        'sizes in MiB (uncompressed as the engine counts them; compressed: the layers gzipped as a registry ' +
        'stores them, comparable with the published sizes); the floor is the slim base, the Go tree and the ' +
        "installed size of the toolchain's packages; build times of a hello world importing net and os/user, " +
        'the first in a fresh toolchain container and the second after an edit, timed inside it',
      ...images,
    },
    nightly: {
      targets: ['debian12-amd64', 'debian12-arm64'],
      firstRunS: round(nightlyFirst),
      secondRunNothingToDoS: round(nightlySecond),
      ratioSecondToFirst: round(nightlySecond / nightlyFirst, 3),
    },
  };
  const file = await writeResult('bench', result);
  process.stdout.write(
    `${formatTable(bake, base_, ratios)}\n` +
      `full --no-cache builds of both kinds: amd64 ${result.fullNoCacheBuilds.amd64S.join(' s, ')} s, ` +
      `arm64 ${result.fullNoCacheBuilds.arm64S} s (arm64/amd64 ${result.fullNoCacheBuilds.ratioArm64ToAmd64}); ` +
      `compiling the standard-library cache too: amd64 ${result.fullNoCacheBuilds.firstReleaseAmd64S} s, ` +
      `arm64 ${result.fullNoCacheBuilds.firstReleaseArm64S} s ` +
      `(arm64/amd64 ${result.fullNoCacheBuilds.firstReleaseRatioArm64ToAmd64}); ` +
      `context bytes ${JSON.stringify(amd64[0].contextBytes)}; ` +
      `identical image ids over two builds: ${JSON.stringify(reproducible)}\n` +
      `images: runtime ${images.runtimeMiB} MiB (${images.runtimeCompressedMiB} compressed; distroless ` +
      `static-debian12 ${PUBLISHED_MIB.distrolessStaticDebian12} compressed), toolchain ${images.toolchainMiB} MiB ` +
      `(${images.toolchainCompressedMiB} compressed; golang:bookworm ${PUBLISHED_MIB.golangBookworm} compressed), ` +
      `floor ${images.toolchainFloorMiB} MiB + build cache ${images.warmCacheMiB} MiB; first go build in a fresh ` +
      `container ${images.firstBuildS} s, second ${images.secondBuildS} s (${images.firstToSecond}x)\n` +
      `nightly (debian12-amd64, debian12-arm64, registry): first run ${result.nightly.firstRunS} s, ` +
      `second run with nothing to do ${result.nightly.secondRunNothingToDoS} s ` +
      `(${result.nightly.ratioSecondToFirst} of the first)\n` +
      quickLines(quick) +
      `baseline fails ${result.notes.baselineChecksFailed.length} readiness checks: ` +
      `${result.notes.baselineChecksFailed.join(', ')}\n` +
      `written: ${file}\n`,
  );

  await removeBenchTags(engine);
  await engine.removeImage(baselineTag);
  await engine.removeImage(`${baselineTag}-policy`);
  await fs.rm(work, { recursive: true, force: true });
}

/** The tags the bench's builds and nightlies left under its prefix. */
async function removeBenchTags(engine: Awaited<ReturnType<typeof connectEngine>>): Promise<void> {
  for (const image of await engine.listImages('io.bake.kind'))
    for (const tag of image.tags.filter((t) => t.startsWith(`${PREFIX}/`))) await engine.removeImage(tag);
}

/** `--only startup` (the rows that need no image build of their own), or nothing: the whole bench. */
function onlyArgument(args: string[]): 'startup' | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 2 && args[0] === '--only' && args[1] === 'startup') return 'startup';
  throw new Error(`unknown arguments: ${args.join(' ')} (usage: npm run bench [-- --only startup])`);
}

/** The CLI as users run it; rejects with its stderr when it fails. */
function runBake(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot(__dirname), 'bin', 'bake.js'), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-4000)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`bake ${args[0]} exited ${code}:\n${stderr}`)),
    );
  });
}

function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}

function roundAll(f: Figures): Figures {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(v)])) as unknown as Figures;
}

function formatTable(bake: Figures, baseline: Figures, ratios: Record<string, number>): string {
  const rows = Object.keys(bake).map((k) => [
    k,
    bake[k as keyof Figures].toFixed(2),
    baseline[k as keyof Figures].toFixed(2),
    ratios[k].toFixed(3),
  ]);
  const all = [['figure', 'bake', 'baseline', 'bake/baseline'], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
