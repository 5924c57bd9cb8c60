import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../common/log';
import { settledAll } from '../common/settled-all';
import type { BuildkitFeatures, BuildProgressEvent, BuildSecret, ImageEngine, Platform } from '../engine/types';
import type { CachedGoDistribution } from '../golang/types';
import { goImageContext } from '../render/go-image-context';
import { GO_IMAGE_LAYOUT, GO_IMAGE_LAYOUT_LABEL, GO_IMAGE_SHA256_LABEL } from '../render/image-refs';
import { PROBE_NAME } from '../render/probe';
import { BUILDER_OUT } from '../render/run-steps';
import { packagesImageContext } from '../render/packages-image-context';
import type { PackagesImage, RenderedContext, StageImages } from '../render/types';
import type { ImageKind, Target } from '../recipe/types';
import { prepareModuleBuild } from './module-build';
import type { ModuleAccess } from './types';
import { toolBuildFailure } from './tool-build-failure';
import { writeContext } from '../render/write-context';

export interface StageImageOptions {
  engine: Pick<ImageEngine, 'build' | 'tag' | 'inspectImage'>;
  /** Scratch space for the contexts (each removed after its build). */
  workDir: string;
  logger: Logger;
  noCache?: boolean;
  /** Registry cache and provenance of the builder stage (the Go image is only an unpacked archive). */
  buildkit?: BuildkitFeatures;
  signal?: AbortSignal;
  onProgress?: (label: string, event: BuildProgressEvent) => void;
  /** The module proxy and credential for the builder's module tools (see module-build.ts). */
  modules?: ModuleAccess;
}

/**
 * The Go distribution image of one verified archive, built when the engine does not have it
 * yet: the only build whose context carries the archive, once per sha256 and engine.
 */
export async function ensureGoImage(
  go: CachedGoDistribution,
  ref: string,
  options: StageImageOptions,
): Promise<{ built: boolean; contextBytes: number }> {
  const existing = await options.engine.inspectImage(ref);
  if (
    existing &&
    existing.labels[GO_IMAGE_SHA256_LABEL] === go.sha256 &&
    existing.labels[GO_IMAGE_LAYOUT_LABEL] === GO_IMAGE_LAYOUT &&
    existing.architecture === go.arch
  )
    return { built: false, contextBytes: 0 };
  const { files, archive, directories } = goImageContext(go, go.path);
  const contextDir = join(options.workDir, `go-${go.sha256.slice(0, 16)}`);
  await writeContext(contextDir, files, archive, directories);
  try {
    options.logger.info(`unpacking ${go.filename} into ${ref} (once per archive)`);
    const result = await options.engine.build({
      contextDir,
      platform: `linux/${go.arch}`,
      tags: [],
      labels: {},
      buildArgs: {},
      signal: options.signal,
      onProgress: (event) => options.onProgress?.(`go ${go.version} ${go.arch}`, event),
    });
    await tagRef(options.engine, result.imageId, ref);
    return { built: true, contextBytes: result.contextBytes };
  } finally {
    await fs.rm(contextDir, { recursive: true, force: true });
  }
}

/**
 * The packages image of one image kind (its pinned .deb files), built when the engine does not
 * have it: the only build whose context carries them, once per set and engine. `download`
 * fills an empty directory with the files, checked against the archive's signed index.
 */
export async function ensurePackagesImage(
  packages: PackagesImage,
  platform: Platform,
  download: (destDir: string) => Promise<string[]>,
  options: StageImageOptions,
): Promise<{ built: boolean; contextBytes: number }> {
  if (await options.engine.inspectImage(packages.ref)) return { built: false, contextBytes: 0 };
  const key = packages.ref.slice(packages.ref.lastIndexOf(':') + 1);
  const contextDir = join(options.workDir, `debs-${key}`);
  try {
    await writePackagesContext(contextDir, download);
    const result = await options.engine.build({
      contextDir,
      platform,
      tags: [],
      labels: {},
      buildArgs: {},
      signal: options.signal,
      onProgress: (event) => options.onProgress?.(`packages ${key}`, event),
    });
    await tagRef(options.engine, result.imageId, packages.ref);
    return { built: true, contextBytes: result.contextBytes };
  } finally {
    await fs.rm(contextDir, { recursive: true, force: true });
  }
}

/** Writes the context of a packages image to `dir`, downloading its files beside it first. */
export async function writePackagesContext(
  dir: string,
  download: (destDir: string) => Promise<string[]>,
): Promise<void> {
  const downloadDir = `${dir}.download`;
  await fs.rm(downloadDir, { recursive: true, force: true });
  await fs.mkdir(downloadDir, { recursive: true });
  try {
    const names = await download(downloadDir);
    const debs = await Promise.all(
      names.map(async (name) => ({ name, content: await fs.readFile(join(downloadDir, name)) })),
    );
    await writeContext(dir, packagesImageContext(debs));
  } finally {
    await fs.rm(downloadDir, { recursive: true, force: true });
  }
}

/**
 * The standard library's build cache of the plan's Go release for its arch, built when the
 * engine does not have it: the std-cache stage, once per Go release, arch and engine. Like the
 * Go image it is a function of verified inputs alone, so `--no-cache` keeps it when the engine
 * has it: what every run rebuilds afresh is the plan's own stages.
 */
export async function ensureStdCacheImage(
  context: RenderedContext,
  platform: Platform,
  label: string,
  options: StageImageOptions,
): Promise<{ built: boolean; contextBytes: number }> {
  const ref = context.images.stdCache;
  const existing = await options.engine.inspectImage(ref);
  if (existing && `linux/${existing.architecture}` === platform) return { built: false, contextBytes: 0 };
  options.logger.info(`compiling the standard library's build cache for ${platform} into ${ref} (once per Go release)`);
  // Missing, it is compiled as any step is: from the build cache, or afresh under --no-cache.
  const result = await buildStage(
    context,
    { platform, label, stage: 'std-cache', buildArgs: {}, noCache: options.noCache },
    options,
  );
  await tagRef(options.engine, result.imageId, ref);
  return { built: true, contextBytes: result.contextBytes };
}

/**
 * The builder stage's image (probe and tools compiled for the target), built once per plan from
 * the first kind's context and then named by both kinds' Dockerfiles. An engine that has it
 * already is reused unless every step must run afresh.
 */
export async function ensureBinImage(
  context: RenderedContext,
  target: Target,
  platform: Platform,
  label: string,
  options: StageImageOptions,
): Promise<{ built: boolean; contextBytes: number }> {
  const ref = context.images.bin;
  if (!options.noCache && (await options.engine.inspectImage(ref))) return { built: false, contextBytes: 0 };
  // Module tools: the proxy is asked first, then named to the build; the credential goes as a secret.
  const modules = await prepareModuleBuild(target, options.modules);
  const result = await buildStage(
    context,
    {
      platform,
      label,
      stage: 'builder',
      buildArgs: { STD_CACHE_IMAGE: context.images.stdCache, ...modules?.buildArgs },
      noCache: options.noCache,
      ...(modules?.secrets.length ? { secrets: modules.secrets } : {}),
    },
    options,
  ).catch((err: unknown) => {
    throw modules ? toolBuildFailure(err, modules) : err;
  });
  await tagRef(options.engine, result.imageId, ref);
  return { built: true, contextBytes: result.contextBytes };
}

/** Builds one of the shared stages from a kind's context (written for the build, then removed). */
async function buildStage(
  context: RenderedContext,
  stage: {
    platform: Platform;
    label: string;
    stage: 'std-cache' | 'builder';
    buildArgs: Record<string, string>;
    noCache?: boolean;
    secrets?: BuildSecret[];
  },
  options: StageImageOptions,
): Promise<{ imageId: string; contextBytes: number }> {
  const contextDir = join(options.workDir, `${stage.label.replace(/\//g, '-')}-${stage.stage}`);
  await writeContext(contextDir, context.files);
  try {
    return await options.engine.build({
      contextDir,
      platform: stage.platform,
      tags: [],
      labels: {},
      buildArgs: { GO_BUILD_IMAGE: context.images.goBuild, ...stage.buildArgs },
      ...(stage.secrets ? { secrets: stage.secrets } : {}),
      target: stage.stage,
      noCache: stage.noCache,
      buildkit: options.buildkit,
      signal: options.signal,
      onProgress: (event) => options.onProgress?.(`${stage.label}/${stage.stage}`, event),
    });
  } finally {
    await fs.rm(contextDir, { recursive: true, force: true });
  }
}

async function tagRef(engine: Pick<ImageEngine, 'tag'>, imageId: string, ref: string): Promise<void> {
  const colon = ref.lastIndexOf(':');
  await engine.tag(imageId, ref.slice(0, colon), ref.slice(colon + 1));
}

/**
 * The images a plan's builds and checks need before any image kind: the target's Go (only for
 * a toolchain build), the build platform's Go, the standard library's cache and the builder
 * stage's binaries (readProbe
 * reads the readiness probe from them). Returns the context bytes these builds uploaded.
 */
export async function ensureStageImages(
  input: {
    context: RenderedContext;
    target: Target;
    kinds: ImageKind[];
    dist: CachedGoDistribution;
    builderDist?: CachedGoDistribution;
    platform: Platform;
    label: string;
  },
  options: StageImageOptions,
): Promise<{ contextBytes: number }> {
  const { images } = input.context;
  // The target's Go and the build platform's: one image when the build is native.
  const gos = new Map<string, CachedGoDistribution>();
  if (input.kinds.includes('toolchain')) gos.set(images.go, input.dist);
  gos.set(images.goBuild, input.builderDist ?? input.dist);
  const made = await settledAll([...gos].map(([ref, go]) => ensureGoImage(go, ref, options)));
  let contextBytes = made.reduce((sum, m) => sum + m.contextBytes, 0);
  contextBytes += (await ensureStdCacheImage(input.context, input.platform, input.label, options)).contextBytes;
  contextBytes += (await ensureBinImage(input.context, input.target, input.platform, input.label, options))
    .contextBytes;
  return { contextBytes };
}

/** The readiness probe, from the builder image ensureStageImages made. */
export function readProbe(engine: Pick<ImageEngine, 'readImageFile'>, images: StageImages): Promise<Buffer> {
  return engine.readImageFile(images.bin, `${BUILDER_OUT.probe}/${PROBE_NAME}`);
}
