import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../common/log';
import type { BaseImage } from '../engine/base/types';
import type { DockerEngine } from '../engine/docker-engine';
import type { BuildkitFeatures, BuildProgressEvent, BuildResult, Platform } from '../engine/types';
import type { Arch } from '../recipe/types';
import { policyLayer, stemImageRef } from '../render/policy-stage';
import type { RenderedContext } from '../render/types';
import { writeContext } from '../render/write-context';

export interface ImageBuildInput {
  context: RenderedContext;
  engine: Pick<DockerEngine, 'buildkitCapabilities' | 'inspectImage' | 'build' | 'writeStage'>;
  base: BaseImage;
  arch: Arch;
  platform: Platform;
  /** Where the context is written for BuildKit (removed after the build). */
  contextDir: string;
  buildArgs: Record<string, string>;
  /** Labels of the build itself (the image's own come from the context). */
  labels: Record<string, string>;
  /** The plan's SOURCE_DATE_EPOCH: the time of what bake writes itself. */
  created: number;
  noCache?: boolean;
  buildkit?: BuildkitFeatures;
  label: string;
  logger: Logger;
  signal?: AbortSignal;
  onProgress?: (event: BuildProgressEvent) => void;
}

/**
 * One image kind's build. The toolchain on an engine with the classic image store: BuildKit
 * builds the stem (everything below the policy), which a policy-only change finds by name
 * and does not build at all, and bake writes the policy stage onto it. Always that way there,
 * so the same plan gives the same image whichever way it went. Elsewhere (the runtime kind,
 * a containerd image store) BuildKit builds the whole Dockerfile.
 */
export async function buildImage(input: ImageBuildInput): Promise<BuildResult> {
  const { context, engine } = input;
  const policy = context.policy;
  if (!policy || (await engine.buildkitCapabilities()).containerdStore) return buildWithBuildkit(input);
  const started = performance.now();
  const stemRef = stemImageRef(context, policy, { ref: input.base.imageRef, digest: input.base.digest }, input.arch);
  const found = input.noCache ? undefined : await engine.inspectImage(stemRef);
  if (found) input.logger.debug(`${input.label}: ${stemRef} is built; writing the policy stage onto it`);
  // A stem found by name is a build of no steps.
  const stem = found
    ? { imageId: found.id, contextBytes: 0, steps: 0, cachedSteps: 0 }
    : await buildWithBuildkit({ ...input, labels: {} }, { target: policy.stem, tags: [stemRef] });
  const written = await engine.writeStage({
    from: stem.imageId,
    layer: policyLayer(context, policy),
    env: policy.env,
    labels: { ...policy.labels, ...input.labels },
    user: policy.user,
    workdir: policy.workdir,
    created: input.created,
    signal: input.signal,
  });
  return {
    imageId: written.imageId,
    durationMs: Math.round(performance.now() - started),
    contextBytes: stem.contextBytes,
    steps: stem.steps + written.steps,
    cachedSteps: stem.cachedSteps,
  };
}

async function buildWithBuildkit(
  input: ImageBuildInput,
  stage: { target?: string; tags: string[] } = { tags: [] },
): Promise<BuildResult> {
  await writeContext(input.contextDir, input.context.files);
  try {
    return await input.engine.build({
      contextDir: input.contextDir,
      platform: input.platform,
      ...stage,
      labels: input.labels,
      buildArgs: input.buildArgs,
      noCache: input.noCache,
      buildkit: input.buildkit,
      signal: input.signal,
      onProgress: input.onProgress,
    });
  } finally {
    await fs.rm(input.contextDir, { recursive: true, force: true });
  }
}
