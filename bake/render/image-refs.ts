import { sha256Hex } from '../common/sha256';
import type { PinnedPackage } from '../plan/types';
import type { Arch } from '../recipe/types';

/**
 * Images bake makes on the engine for its own builds, never pushed: the Go distribution of one
 * verified archive (built once per sha256, so the 70 MB archive never travels in a build
 * context), the standard library's build cache of one Go release and arch, and the builder
 * stage's binaries of one plan (built once, used by both kinds).
 */
export const GO_IMAGE_REPOSITORY = 'bake-cache/go';
export const BIN_IMAGE_REPOSITORY = 'bake-cache/bin';
export const STD_CACHE_IMAGE_REPOSITORY = 'bake-cache/std';
export const PACKAGES_IMAGE_REPOSITORY = 'bake-cache/debs';
/** The toolchain image below its policy stage (policy-stage.ts), which bake writes onto it. */
export const STEM_IMAGE_REPOSITORY = 'bake-cache/stem';

/** Carried by a Go distribution image: the sha256 of the archive it was unpacked from. */
export const GO_IMAGE_SHA256_LABEL = 'io.bake.go.archive-sha256';
/** Carried by a Go distribution image: how it is laid out; an image of an older layout is rebuilt. */
export const GO_IMAGE_LAYOUT_LABEL = 'io.bake.go.layout';
/** 2: GOROOT's parent carries the context's fixed time (go-image-context.ts). */
export const GO_IMAGE_LAYOUT = '2';

export function goImageRef(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
  return `${GO_IMAGE_REPOSITORY}:sha256-${sha256}`;
}

/**
 * The standard library's build cache of one Go release for one arch (the std-cache stage):
 * named by everything that goes into it, so plans that differ in anything else share it.
 */
export function stdCacheImageRef(input: {
  stage: string;
  goBuildImage: string;
  /** bake's cache-times helper, as the context carries it. */
  sources: Buffer[];
  arch: Arch;
}): string {
  return stageImageRef(STD_CACHE_IMAGE_REPOSITORY, input.arch, {
    stage: input.stage,
    goBuildImage: input.goBuildImage,
    sources: input.sources.map((content) => sha256Hex(content)),
  });
}

/** The binaries image of a builder stage: named by everything that goes into it. */
export function binImageRef(input: {
  builderStage: string;
  goBuildImage: string;
  /** bake's own Go sources it compiles. */
  sources: Buffer[];
  /** The module tools' helper and trust bundle (absent without module tools). */
  tools?: Buffer[];
  arch: Arch;
}): string {
  return stageImageRef(BIN_IMAGE_REPOSITORY, input.arch, {
    builderStage: input.builderStage,
    goBuildImage: input.goBuildImage,
    sources: input.sources.map((content) => sha256Hex(content)),
    ...(input.tools ? { tools: input.tools.map((content) => sha256Hex(content)) } : {}),
  });
}

export function stageImageRef(repository: string, arch: Arch, inputs: Record<string, unknown>): string {
  const key = sha256Hex(JSON.stringify({ ...inputs, arch }));
  return `${repository}:${arch}-${key.slice(0, 32)}`;
}

/**
 * The image of one image kind's pinned .deb files, downloaded and verified by bake: named by
 * the pins alone, since the archive never ships two files under one name, version and arch.
 */
export function packagesImageRef(arch: Arch, pins: PinnedPackage[]): string {
  const key = sha256Hex(JSON.stringify(pins.map((p) => [p.name, p.version, p.arch])));
  return `${PACKAGES_IMAGE_REPOSITORY}:${arch}-${key.slice(0, 32)}`;
}
