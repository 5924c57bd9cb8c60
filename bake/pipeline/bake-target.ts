import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BakeError, ExitCode } from '../common/errors';
import type { Logger } from '../common/log';
import { settledAll } from '../common/settled-all';
import { sha256Hex } from '../common/sha256';
import { ensureBaseImage } from '../engine/base/base-image';
import type { BaseImage } from '../engine/base/types';
import { ensureBinfmt } from '../engine/host/binfmt';
import type { DockerEngine } from '../engine/docker-engine';
import type { Platform } from '../engine/types';
import { downloadPinnedPackages } from '../plan/pinned-package-files';
import type { Plan } from '../plan/types';
import { writeReport } from '../readiness/report-files';
import { verifyImage } from '../readiness/verify-image';
import { applyTags } from '../registry/local-tags';
import { imageTags, isImmutableTagOf } from '../registry/image-tags';
import type { VerdictStore } from '../registry/types';
import type { RenderedContext } from '../render/types';
import { putListings } from '../drift/baseline-blobs';
import { captureImageBaseline } from '../drift/image-baseline';
import { targetFailure } from './target-failure';
import { findVettedImage } from './vetted-images';
import { imageFeatures } from './buildkit-request';
import {
  BUILD_LABELS,
  type BuildkitRequest,
  type ImageResult,
  type ModuleAccess,
  type TargetProgress,
  type TargetResult,
} from './types';
import { buildImage } from './image-build';
import { ensurePackagesImage, ensureStageImages, readProbe } from './stage-images';
import type { CachedGoDistribution } from '../golang/types';

export interface BakeTargetInput {
  plan: Plan;
  contexts: RenderedContext[];
  /** The verified Go archive of the plan, in the download cache. */
  dist: CachedGoDistribution;
  /** The builder stage's Go archive, when the target is not this machine's arch. */
  builderDist?: CachedGoDistribution;
  engine: DockerEngine;
  /** Scratch space for build contexts (removed after each build). */
  workDir: string;
  /** Reports go to `<reportDir>/<target>/<kind>/`. */
  reportDir: string;
  cacheDir: string;
  /** The environment planning read (the OS archive's mirror, for the pinned packages' files). */
  env: NodeJS.ProcessEnv;
  /** Repository prefix of the tags, e.g. "bake" or "registry:5000/golden". */
  tagPrefix: string;
  runId: string;
  /** The day in the immutable tag. */
  now: Date;
  /** Build and check even when vetted images of these inputs exist. */
  force: boolean;
  /** Build every step afresh, ignoring the engine's build cache (implies nothing about `force`). */
  noCache?: boolean;
  /** Registry build cache and provenance for the builder stage and each image kind. */
  buildkit?: BuildkitRequest;
  /**
   * Where readiness reports and verdicts are kept (the local catalog's store). A vetted image is
   * only taken as up to date while its verdict and report are there; both go in before tagging.
   * Without it every image is built and checked.
   */
  reports?: VerdictStore;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?: TargetProgress;
  allowInstall?: boolean;
  /** The module proxy and credential for the recipe's module tools (builder stage only). */
  modules?: ModuleAccess;
}

/**
 * One target through the pipeline: base image, build of each image kind, readiness suite,
 * and tags only for what passed. Never throws: every outcome is a TargetResult, so one
 * target's failure cannot stop the others.
 */
export async function bakeTarget(input: BakeTargetInput): Promise<TargetResult> {
  const { plan } = input;
  const started = performance.now();
  const result: TargetResult = {
    target: plan.target.name,
    status: 'failed',
    inputsDigest: plan.inputsDigest,
    go: { version: plan.go.version, source: plan.go.source },
    images: [],
    durationMs: 0,
  };
  try {
    await runPipeline(input, result);
    result.status = result.images.every((i) => i.status === 'up-to-date')
      ? 'up-to-date'
      : result.images.some((i) => i.status === 'rejected')
        ? 'rejected'
        : 'vetted';
    if (result.status === 'rejected') {
      const failing = result.images
        .filter((i) => i.status === 'rejected')
        .map((i) => `${i.kind}: ${failedChecks(i).join(', ')}`);
      result.message = `failed readiness checks (${failing.join('; ')})`;
      result.exitCode = ExitCode.CheckFailed;
    }
  } catch (err) {
    Object.assign(result, targetFailure(err, input.signal));
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function runPipeline(input: BakeTargetInput, result: TargetResult): Promise<void> {
  const { plan, engine, logger, signal } = input;
  const target = plan.target;
  const platform: Platform = `linux/${target.arch}`;
  const pending: RenderedContext[] = [];
  for (const context of input.contexts) {
    const vetted =
      input.force || !input.reports
        ? undefined
        : await findVettedImage(engine, input.reports, plan, context.kind, input.tagPrefix, input.now);
    if (!vetted) {
      pending.push(context);
      continue;
    }
    // Moving tags follow the newest vetted build; a recipe changed back must take them back.
    const { moving } = imageTags(plan, context.kind, input.now, input.tagPrefix);
    const refs = moving.map((tag) => `${vetted.repository}:${tag}`);
    await applyTags(engine, vetted.id, refs, signal);
    const immutableRef = vetted.tags.find((t) => isImmutableTagOf(t.slice(vetted.repository.length + 1), plan));
    const tags = [...vetted.tags.filter((t) => !refs.includes(t)), ...refs];
    result.images.push({
      kind: context.kind,
      status: 'up-to-date',
      imageId: vetted.id,
      tags,
      immutableRef,
      reportDigest: vetted.reportDigest,
    });
    logger.info(
      `${target.name}: ${context.kind} image up to date ` +
        `(${vetted.tags[0] ?? vetted.id.slice(0, 19)}), nothing to build`,
    );
  }
  if (pending.length === 0) return;

  await engine.assertFeatures(imageFeatures(input.buildkit, target.name, pending[0].kind));
  await ensureBinfmt(target.arch, logger, { allowInstall: input.allowInstall });
  const stage = {
    engine,
    workDir: input.workDir,
    logger,
    noCache: input.noCache,
    signal,
    onProgress: input.onProgress,
    modules: input.modules,
  };
  // The builder stage is bake's own intermediate image: its cache is shared, but it is never
  // pushed, so it carries no provenance.
  const builderFeatures = imageFeatures({ ...input.buildkit, provenance: false }, target.name, 'builder');
  const osContext = { cacheDir: input.cacheDir, env: input.env, logger };
  // The base, the Go and builder images and the packages images need nothing of one another:
  // they are made at once, and all have settled before this target goes on or fails.
  const [base, stages] = await settledAll([
    ensureBaseImage(target, engine, {
      cacheDir: input.cacheDir,
      logger,
      signal,
      allowInstall: input.allowInstall,
      archiveDigest: plan.base.archive?.digest,
    }),
    ensureStageImages(
      {
        context: pending[0],
        target,
        kinds: pending.map((c) => c.kind),
        dist: input.dist,
        builderDist: input.builderDist,
        platform,
        label: target.name,
      },
      { ...stage, buildkit: builderFeatures },
    ),
    (async () => {
      // One kind after the other: their downloads share the plan's private apt.
      for (const { packages } of pending)
        if (packages) {
          const download = (dir: string) => downloadPinnedPackages(osContext, target, packages.pins, dir);
          await ensurePackagesImage(packages, platform, download, stage);
        }
    })(),
  ]);
  result.base = base;
  // The probe is an input of the readiness suite, read once its first image is built: read
  // during a build, it would compete for the engine's image store with that build's last step.
  let probe: Promise<Buffer> | undefined;
  const readProbeOnce = () => (probe ??= readProbe(engine, pending[0].images));
  for (const context of pending) result.images.push(await bakeImage(input, context, base, platform, readProbeOnce));
  if (stages.contextBytes)
    logger.debug(`${target.name}: ${stages.contextBytes} bytes of context for the Go and builder images`);
}

async function bakeImage(
  input: BakeTargetInput,
  context: RenderedContext,
  base: BaseImage,
  platform: Platform,
  probe: () => Promise<Buffer>,
): Promise<ImageResult> {
  const { plan, engine, logger, signal } = input;
  const { kind } = context;
  const label = `${plan.target.name}/${kind}`;
  const startedAt = new Date().toISOString();
  logger.info(`${label}: building on ${engine.endpoint} (${platform})`);
  const build = await buildImage({
    context,
    engine,
    base,
    arch: plan.target.arch,
    platform,
    contextDir: join(input.workDir, `${plan.target.name}-${kind}`),
    labels: {
      [BUILD_LABELS.inputsDigest]: plan.inputsDigest,
      [BUILD_LABELS.baseImage]: base.digest,
      [BUILD_LABELS.baseBootstrapped]: String(base.bootstrapped),
    },
    buildArgs: {
      BASE_IMAGE: base.imageRef,
      GO_IMAGE: context.images.go,
      GO_BUILD_IMAGE: context.images.goBuild,
      BIN_IMAGE: context.images.bin,
      SOURCE_DATE_EPOCH: String(plan.sourceDateEpoch),
    },
    created: plan.sourceDateEpoch,
    noCache: input.noCache,
    buildkit: imageFeatures(input.buildkit, plan.target.name, kind),
    label,
    logger,
    signal,
    onProgress: (event) => input.onProgress?.(label, event),
  });
  logger.info(
    `${label}: built ${build.imageId.slice(0, 19)} in ${(build.durationMs / 1000).toFixed(1)} s ` +
      `(${build.cachedSteps}/${build.steps} steps cached); running the readiness suite`,
  );

  // The drift baseline is read while the suite runs (both only read the image); it is kept
  // only if the image passes.
  const checkStarted = performance.now();
  let checkMs = 0;
  const [suite, capture] = await Promise.allSettled([
    probe()
      .then((probeBytes) =>
        verifyImage({
          docker: engine.docker,
          image: build.imageId,
          kind,
          plan,
          goArchivePath: input.dist.path,
          probe: probeBytes,
          runId: input.runId,
          now: input.now,
          logger,
        }),
      )
      .finally(() => (checkMs = Math.round(performance.now() - checkStarted))),
    captureImageBaseline({
      docker: engine.docker,
      image: build.imageId,
      kind,
      target: plan.target,
      runId: input.runId,
      now: input.now,
    }).finally(() =>
      logger.debug(`${label}: drift baseline read in ${((performance.now() - checkStarted) / 1000).toFixed(2)} s`),
    ),
  ]);
  if (suite.status === 'rejected') throw suite.reason;
  const report = suite.value;
  if (signal?.aborted) throw new BakeError(`${label}: interrupted during the readiness suite`, ExitCode.Interrupted);
  const reportFiles = await writeReport(join(input.reportDir, plan.target.name, kind), report);
  const reportBytes = await fs.readFile(reportFiles.json);
  const reportDigest = `sha256:${sha256Hex(reportBytes)}`;
  // The report and the drift listings are blobs of their own; the verdict that names them comes after.
  await Promise.all([
    input.reports?.putReport(reportBytes),
    report.passed && input.reports && capture.status === 'fulfilled'
      ? putListings(input.reports, capture.value.trees)
      : undefined,
  ]);
  const tags = imageTags(plan, kind, input.now, input.tagPrefix);
  const common = {
    kind,
    report,
    reportFiles,
    reportDigest,
    build: {
      durationMs: build.durationMs,
      steps: build.steps,
      cachedSteps: build.cachedSteps,
      contextBytes: build.contextBytes,
      startedAt,
      finishedAt: new Date(Date.parse(startedAt) + build.durationMs).toISOString(),
    },
    checkMs,
  };

  if (!report.passed) {
    const rejected = `${tags.repository}:${tags.rejected}`;
    // The same image of the same plan can have passed before only under a waiver that has since
    // expired: it is no longer vetted, so its tags in the target's repository are withdrawn.
    // (Tagged as rejected first: untagging an image's last tag would remove the image.)
    const stale = ((await engine.inspectImage(build.imageId))?.tags ?? []).filter(
      (t) => t.startsWith(`${tags.repository}:`) && t !== rejected,
    );
    await applyTags(engine, build.imageId, [rejected], signal);
    for (const tag of stale) await engine.removeImage(tag);
    if (stale.length) logger.warn(`${label}: no longer vetted; removed its tags ${stale.join(', ')}`);
    logger.warn(`${label}: REJECTED (${failedChecks({ report }).join(', ')}); kept for inspection as ${rejected}`);
    return { ...common, status: 'rejected', imageId: build.imageId, tags: [rejected] };
  }
  // The verdict is kept out of the image (in the catalog and the report store): labeling it
  // would give every run a new digest for the very same filesystem.
  const vettedId = build.imageId;
  if (capture.status === 'rejected') throw capture.reason;
  const { baseline } = capture.value;
  await input.reports?.recordVerdict(vettedId, reportDigest);
  const refs = [tags.immutable, ...tags.moving].map((tag) => `${tags.repository}:${tag}`);
  await applyTags(engine, vettedId, refs, signal);
  // An earlier run of the same inputs may have left a rejected image; this one passed.
  await engine.removeImage(`${tags.repository}:${tags.rejected}`);
  logger.info(`${label}: vetted, tagged ${refs.join(', ')}`);
  return { ...common, status: 'vetted', imageId: vettedId, tags: refs, immutableRef: refs[0], baseline };
}

function failedChecks(image: Pick<ImageResult, 'report'>): string[] {
  return image.report?.results.filter((r) => r.status === 'fail').map((r) => r.id) ?? [];
}
