import Dockerode from 'dockerode';
import { BakeError, ExitCode, errorMessage } from '../common/errors';
import { pullImage } from './base/base-pull';
import { runDockerBuild } from './build/docker-build';
import { runBuildxBuild } from './build/buildx-build';
import { probeBuildkitCapabilities } from './build/buildkit-capabilities';
import { buildPath, effectiveFeatures } from './build/buildkit-features';
import { dockerodeOptions } from './daemon/engine-endpoint';
import { apiAtLeast } from './engine-api';
import { relabelImage } from './build/relabel-image';
import { writeStage } from './build/write-stage';
import { pushImage } from './build/image-push';
import { readImageFile } from './build/image-file';
import type {
  BuildkitCapabilities,
  BuildkitFeatures,
  BuildRequest,
  BuildResult,
  EngineInfo,
  ImageDetails,
  ImageEngine,
  ImageSummary,
  Platform,
  PullOutcome,
  PushAuth,
  PushResult,
  StageRequest,
} from './types';

/** A ping that takes longer than this means "no engine here" for the purpose of connecting. */
export const PING_TIMEOUT_MS = 3000;

/**
 * A Docker Engine through dockerode. `docker` is exposed because the readiness stage's
 * container driver needs container APIs this interface deliberately leaves out.
 */
export class DockerEngine implements ImageEngine {
  constructor(
    readonly docker: Dockerode,
    readonly endpoint: string,
    readonly embedded = false,
  ) {}

  static at(endpoint: string, options: { embedded?: boolean; env?: NodeJS.ProcessEnv } = {}): DockerEngine {
    return new DockerEngine(
      new Dockerode(dockerodeOptions(endpoint, options.env ?? process.env)),
      endpoint,
      options.embedded ?? false,
    );
  }

  async ping(timeoutMs = PING_TIMEOUT_MS): Promise<void> {
    try {
      // dockerode accepts an abort signal here; its typings do not say so.
      const docker = this.docker as unknown as { ping(options: { abortSignal: AbortSignal }): Promise<unknown> };
      await docker.ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new BakeError(
        `no Docker engine answers at ${this.endpoint}: ${errorMessage(err)}`,
        ExitCode.EngineUnavailable,
      );
    }
  }

  async info(): Promise<EngineInfo> {
    const [version, info] = await Promise.all([
      this.docker.version(),
      this.docker.info() as Promise<{ DockerRootDir?: string; Driver?: string }>,
    ]);
    return {
      endpoint: this.endpoint,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      buildkit: version.Os === 'linux' && apiAtLeast(version.ApiVersion, '1.39'),
      arch: version.Arch,
      os: version.Os,
      dataRoot: String(info.DockerRootDir ?? ''),
      storageDriver: String(info.Driver ?? ''),
      embedded: this.embedded,
    };
  }

  private capabilities?: Promise<BuildkitCapabilities>;

  /** Found once per engine, on its first build. */
  buildkitCapabilities(): Promise<BuildkitCapabilities> {
    this.capabilities ??= probeBuildkitCapabilities(this.docker);
    return this.capabilities;
  }

  /** Refuses features this engine cannot give, naming what to enable: before a run does any work. */
  async assertFeatures(features: BuildkitFeatures | undefined): Promise<void> {
    effectiveFeatures(features, await this.buildkitCapabilities(), this.endpoint);
  }

  /**
   * The dockerode path where it works; `docker buildx` for features the HTTP API cannot carry
   * and on a containerd image store (README: "DESIGN notes"), an error where the engine lacks
   * a feature asked for.
   */
  async build(request: BuildRequest): Promise<BuildResult> {
    const capabilities = await this.buildkitCapabilities();
    const features = effectiveFeatures(request.buildkit, capabilities, this.endpoint);
    const result =
      buildPath(features, capabilities, this.endpoint, (request.secrets?.length ?? 0) > 0) === 'buildx'
        ? await runBuildxBuild({ ...request, buildkit: features }, { endpoint: this.endpoint })
        : await runDockerBuild(this.docker, request);
    if (request.signal?.aborted)
      throw new BakeError(`build of ${request.tags[0] ?? request.contextDir} interrupted`, ExitCode.Interrupted);
    for (const ref of request.tags) {
      const { repo, tag } = splitRef(ref);
      await this.tag(result.imageId, repo, tag);
    }
    return result;
  }

  writeStage(request: StageRequest): Promise<BuildResult> {
    return writeStage(this.docker, request);
  }

  relabel(imageId: string, platform: Platform, labels: Record<string, string>, signal?: AbortSignal): Promise<string> {
    return relabelImage(this, imageId, platform, labels, signal);
  }

  async tag(imageId: string, repo: string, tag: string): Promise<void> {
    await this.docker.getImage(imageId).tag({ repo, tag });
  }

  async removeImage(ref: string): Promise<void> {
    try {
      // noprune: removing one tag must not take parent images other tags still need.
      await this.docker.getImage(ref).remove({ noprune: true });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return;
      throw err;
    }
  }

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    try {
      const image = await this.docker.getImage(ref).inspect();
      return {
        id: image.Id,
        tags: image.RepoTags ?? [],
        digests: image.RepoDigests ?? [],
        architecture: image.Architecture,
        os: image.Os,
        variant: (image as { Variant?: string }).Variant,
        labels: image.Config?.Labels ?? {},
        env: image.Config?.Env ?? [],
        user: image.Config?.User ?? '',
        sizeBytes: image.Size,
        created: image.Created,
        layers: image.RootFS?.Layers ?? [],
      };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** One regular file of an image (bake's probe out of the builder's image). */
  readImageFile(ref: string, path: string): Promise<Buffer> {
    return readImageFile(this.docker, ref, path);
  }

  push(ref: string, auth: PushAuth | undefined, signal?: AbortSignal): Promise<PushResult> {
    return pushImage(this.docker, ref, auth, signal);
  }

  pullImage(ref: string, platform: Platform, signal?: AbortSignal): Promise<PullOutcome> {
    return pullImage(this.docker, ref, platform, signal);
  }

  async listImages(labelFilter: string): Promise<ImageSummary[]> {
    const images = await this.docker.listImages({ filters: JSON.stringify({ label: [labelFilter] }) });
    return images.map((image) => ({
      id: image.Id,
      tags: (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      labels: image.Labels ?? {},
      created: new Date(image.Created * 1000),
      sizeBytes: image.Size,
    }));
  }

  async removeContainersByLabel(label: string): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: [label] }) });
    for (const container of containers) {
      await this.docker
        .getContainer(container.Id)
        .remove({ force: true, v: true })
        .catch((err: { statusCode?: number }) => {
          // Already gone (another cleanup, or AutoRemove) is the outcome we want.
          if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
        });
    }
    return containers.map((c) => c.Id);
  }
}

/** `registry:5000/team/img:tag` -> repo and tag (the last colon after the last slash). */
export function splitRef(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref, tag: 'latest' };
}
