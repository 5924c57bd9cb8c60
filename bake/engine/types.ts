import type { Logger } from '../common/log';
import type { Arch } from '../recipe/types';

export type Platform = `linux/${Arch}`;

/** One image build: a context directory on disk, streamed to the engine as it is read. */
export interface BuildRequest {
  contextDir: string;
  platform: Platform;
  /**
   * Applied only after the build has succeeded (never by the engine mid-build), so a failed
   * or interrupted build leaves no tag. May be empty: the result's imageId is enough.
   */
  tags: string[];
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  target?: string;
  noCache?: boolean;
  /**
   * BuildKit features the engine's HTTP build API cannot ask for. Any of them sends the build
   * through `docker buildx` and needs the engine's containerd image store (see buildx-build).
   */
  buildkit?: BuildkitFeatures;
  /**
   * BuildKit secrets for `RUN --mount=type=secret,id=ID` steps, each read from a file by the
   * build client: never a build argument, a context file or a label. They need a BuildKit
   * session, which only `docker buildx` opens, so such a build goes through it.
   */
  secrets?: BuildSecret[];
  onProgress?: (event: BuildProgressEvent) => void;
  /** Aborting cancels the build on the engine and rejects with ExitCode.Interrupted. */
  signal?: AbortSignal;
}

export interface BuildSecret {
  id: string;
  /** A file the build client reads; its content goes to the build's secret mounts only. */
  file: string;
}

/** What an engine offers beyond the HTTP build API, found once per engine. */
export interface BuildkitCapabilities {
  /** The engine keeps images in containerd (`driver-type: io.containerd.snapshotter.v1`). */
  containerdStore: boolean;
  /** `docker buildx` answers on this machine; otherwise why not. */
  buildx: true | string;
  buildxVersion?: string;
  /** The engine's BuildKit as buildx reports it; absent where the engine does not stamp it. */
  buildkitVersion?: string;
}

export interface BuildkitFeatures {
  /** Export the build cache (mode=max: every stage's layers) to this registry reference. */
  cacheTo?: string;
  /** Registry references whose exported cache the build may reuse (a missing one is not an error). */
  cacheFrom?: string[];
  /**
   * A SLSA provenance attestation (mode=max) stored in the image's index, so a later push
   * carries it. `true` requires it; `'auto'` adds it only where the engine can, else builds
   * without it.
   */
  provenance?: boolean | 'auto';
  /** Build one image index for all these platforms instead of `platform` alone. */
  platforms?: Platform[];
}

export type StepStatus = 'started' | 'cached' | 'completed' | 'error';

/**
 * A change to one build step (a BuildKit vertex), as decoded from the engine's trace.
 * `step` numbers steps in the order they first appear, as `docker build` shows them (#3).
 */
export interface BuildProgressEvent {
  vertex: string;
  step: number;
  name: string;
  status: StepStatus;
  started?: Date;
  completed?: Date;
  /** Set when status is 'error'. */
  error?: string;
  /** Output lines the step printed since the previous event for it. */
  logs: string[];
}

/** A file or directory of a layer bake writes itself (root-owned). */
export interface LayerEntry {
  /** Relative to /, forward slashes. */
  path: string;
  mode: number;
  mtime: Date;
  /** A regular file's bytes; absent for a directory. */
  content?: Buffer;
}

/**
 * A stage bake writes onto an image without a build: one layer (what a `COPY dir/ /` of its
 * entries gives) and the config instructions after it, ENV, LABEL, USER and WORKDIR. The
 * image is the same for the same request on any engine with the classic image store.
 */
export interface StageRequest {
  /** The image it starts from (an id). */
  from: string;
  layer: LayerEntry[];
  /** In the order ENV sets them: a variable the image has keeps its place, others follow. */
  env: [string, string][];
  labels: Record<string, string>;
  user: string;
  workdir: string;
  /** Seconds since the epoch: the new history entries' time and the image's `created`. */
  created: number;
  signal?: AbortSignal;
}

export interface BuildResult {
  imageId: string;
  durationMs: number;
  /** Bytes of the build context uploaded to the engine (the tar stream). */
  contextBytes: number;
  steps: number;
  cachedSteps: number;
}

export interface EngineInfo {
  /** How bake reached the engine: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  endpoint: string;
  serverVersion: string;
  apiVersion: string;
  /** The engine builds with BuildKit when asked (`version: '2'`): API 1.39 and later on Linux. */
  buildkit: boolean;
  /** The engine's native architecture, as a Go arch name (`amd64`, `arm64`). */
  arch: string;
  os: string;
  dataRoot: string;
  storageDriver: string;
  /** True when bake started this engine (and so may stop it). */
  embedded: boolean;
}

export interface ImageSummary {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  created: Date;
  sizeBytes: number;
}

/** The parts of an image's inspect output later stages rely on. */
export interface ImageDetails {
  id: string;
  tags: string[];
  digests: string[];
  architecture: string;
  os: string;
  variant?: string;
  labels: Record<string, string>;
  env: string[];
  user: string;
  sizeBytes: number;
  created: string;
  /** The image's filesystem: diff ids of its layers, oldest first. */
  layers: string[];
}

/** Registry credentials as the engine takes them for a push (never logged). */
export interface PushAuth {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

export interface PushResult {
  /** The manifest digest the registry serves for the pushed tag. */
  digest: string;
  size: number;
}

export type PullOutcome = { pulled: true } | { pulled: false; unreachable: boolean; reason: string };

/**
 * What builds, tags and removes images. The Docker Engine (DockerEngine) is the one
 * implementation; the interface leaves room for a remote BuildKit or one engine per arch.
 */
export interface ImageEngine {
  readonly endpoint: string;
  ping(): Promise<void>;
  info(): Promise<EngineInfo>;
  build(request: BuildRequest): Promise<BuildResult>;
  /** An image of `from` plus a stage bake writes itself; the result is untagged, as a build's. */
  writeStage(request: StageRequest): Promise<BuildResult>;
  tag(imageId: string, repo: string, tag: string): Promise<void>;
  /**
   * A new image with the same filesystem and config as `imageId` plus `labels` (used to record
   * a readiness verdict on an image that was checked). Rejects if the layers would differ.
   */
  relabel(imageId: string, platform: Platform, labels: Record<string, string>, signal?: AbortSignal): Promise<string>;
  /** Removes a tag or an image; no error when it does not exist. */
  removeImage(ref: string): Promise<void>;
  /** undefined when the engine has no such image. */
  inspectImage(ref: string): Promise<ImageDetails | undefined>;
  /** One regular file of an image, read without running it. */
  readImageFile(ref: string, path: string): Promise<Buffer>;
  /** Pushes a local reference (`host/repo:tag`) to its registry. */
  push(ref: string, auth: PushAuth | undefined, signal?: AbortSignal): Promise<PushResult>;
  /** Pulls `ref` for one platform; a failure is an outcome (offline is normal here), not an exception. */
  pullImage(ref: string, platform: Platform, signal?: AbortSignal): Promise<PullOutcome>;
  /** Images carrying `label` (`key` or `key=value`). */
  listImages(labelFilter: string): Promise<ImageSummary[]>;
  /** Force-removes every container carrying `label` (`key` or `key=value`); returns their ids. */
  removeContainersByLabel(label: string): Promise<string[]>;
}

/** Options for reaching (and, when allowed, starting) an engine. */
export interface EngineOptions {
  stateDir: string;
  logger: Logger;
  /** `unix:///path`, `tcp://host:port`; else DOCKER_HOST, else the standard socket. */
  endpoint?: string;
  /** Start a bake-owned dockerd when nothing answers (default true). */
  allowStart?: boolean;
  /** Install Debian's docker.io when dockerd is missing (root on Debian only; default true). */
  allowInstall?: boolean;
  env?: NodeJS.ProcessEnv;
}

export type DoctorStatus = 'ok' | 'missing' | 'warning';

export interface DoctorItem {
  id: string;
  status: DoctorStatus;
  detail: string;
  /** The exact command that fixes a missing item. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  engine?: EngineInfo;
  /** What the engine's BuildKit and the CLI's buildx offer (absent when no engine answered). */
  buildkit?: BuildkitCapabilities;
  items: DoctorItem[];
}
