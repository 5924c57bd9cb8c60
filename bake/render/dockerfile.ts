import { BakeError, ExitCode } from '../common/errors';
import { goTelemetryModeFile, userHome } from '../plan/go-environment';
import { imagePackages } from '../plan/image-packages';
import type { PinnedPackage } from '../plan/types';
import type { ImageKind } from '../recipe/types';
import { assertSingleLine, dockerfileQuote } from '../common/dockerfile-quote';
import { FAMILY, packageWords } from './family';
import { binImageRef, goImageRef, packagesImageRef, stdCacheImageRef } from './image-refs';
import { GO_PARENT } from './go-image-context';
import { PACKAGES_IMAGE_DIR } from './packages-image-context';
import { BIN_DIR } from './probe';
import {
  BUILDER_OUT,
  buildBinariesSteps,
  cacheTimeCommands,
  createUserCommands,
  installBinariesCommands,
  installCacheCommands,
  installFilesCommands,
  reproducibleRunBody,
  warmCacheStep,
  clearCacheTimesStep,
} from './run-steps';
import { moduleToolSteps } from './module-tools';
import { assembleRootfsCommands, ROOTFS } from './runtime-rootfs';
import { siteCaCommands } from './site-ca-files';
import { fillTemplate } from './template';
import type { PackagesImage, PolicyStage, RenderInput, StageImages } from './types';

/** The toolchain context's policy files, laid out as in the image: the Dockerfile copies the tree to /. */
export const POLICY_DIR = 'policy';

/** The toolchain Dockerfile's stage below the policy: what BuildKit builds when bake writes the policy. */
export const TOOLCHAIN_STEM = 'toolchain-stem';

export interface DockerfileTemplates {
  /** images/<kind>/Dockerfile.tmpl */
  kind: string;
  /** images/stages/std-cache.Dockerfile.tmpl and builder.Dockerfile.tmpl, shared by both kinds. */
  stdCache: string;
  builder: string;
  /** bake's own Go sources the builder compiles (probe, cache helper), as the context carries them. */
  sources: Buffer[];
  /** Those of them the std-cache stage compiles (the cache helper). */
  cacheSources: Buffer[];
  /** The module tools' helper and trust bundle, when the target has module tools (they name it too). */
  tools?: Buffer[];
}

/** Where RUN steps see what they install: the builder's binaries and cache, the Go tree, the context's files. */
const BIN_MOUNT = '/run/bake-bin';
const FILES_MOUNT = '/run/bake-files';
const CACHE_MOUNT = '/run/bake-cache';
const PACKAGES_MOUNT = '/run/bake-debs';

/** Image references go unquoted into `ARG` and `# syntax=` (a parser directive takes no quoting). */
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

const LOGIN_SHELL = '/bin/bash';

export function renderDockerfile(
  input: RenderInput,
  kind: ImageKind,
  templates: DockerfileTemplates,
  dockerfileSyntax?: string,
): string {
  const { target } = input;
  if (!IMAGE_REF.test(input.base.ref))
    throw new BakeError(`base image "${input.base.ref}" is not an image reference`, ExitCode.InvalidRecipe);
  if (dockerfileSyntax !== undefined && !IMAGE_REF.test(dockerfileSyntax)) {
    throw new BakeError(`--dockerfile-syntax "${dockerfileSyntax}" is not an image reference`, ExitCode.Usage);
  }
  if (!Number.isSafeInteger(input.sourceDateEpoch) || input.sourceDateEpoch < 0)
    throw new BakeError(`SOURCE_DATE_EPOCH ${input.sourceDateEpoch} is not a time`, ExitCode.Failure);
  const family = FAMILY[target.family];
  // The target name goes into a comment line: a line break would start an instruction.
  assertSingleLine('target name', target.name);
  const home = userHome(target.user);
  const { builderStage, images } = builderOf(input, templates);
  const packages = packagesImageOf(input, kind);
  const common = {
    syntax: dockerfileSyntax ? `# syntax=${dockerfileSyntax}\n` : '',
    target: target.name,
    baseImage: input.base.ref,
    goBuildImage: images.goBuild,
    stdCacheImage: images.stdCache,
    builderStage,
    sourceDateEpoch: String(input.sourceDateEpoch),
    labels: instructionPairs({ ...input.labels, 'io.bake.kind': kind }),
    user: `${target.user.uid}:${target.user.gid}`,
    // userHome refuses any name but [a-z0-9_-], so HOME needs no quoting (WORKDIR takes none).
    home,
    ...packagesPlaceholders(packages),
    installPackages: reproducibleRunBody(
      family.installCommands(
        packageWords(installSpecs(input, kind, imagePackages(target)[kind])),
        pinsOf(input, kind),
        packages ? PACKAGES_MOUNT : undefined,
      ),
    ),
  };
  if (kind === 'toolchain') {
    const policy = toolchainPolicyStage(input);
    const owned = [input.env.GOPATH, input.env.GOBIN, input.env.GOMODCACHE, input.env.GOCACHE];
    const createUser = createUserCommands(target.user, LOGIN_SHELL, owned);
    return fillTemplate(
      templates.kind,
      {
        ...common,
        goImage: images.go,
        binImage: images.bin,
        goParent: GO_PARENT,
        // One step: the cache is the user's, so a change to either rebuilds both anyway.
        userAndCache: input.warmCache
          ? `RUN --mount=type=bind,from=bin,source=${BUILDER_OUT.cache},target=${CACHE_MOUNT} ` +
            reproducibleRunBody(
              [
                ...createUser,
                ...installCacheCommands(CACHE_MOUNT, input.env.GOCACHE, target.user, input.sourceDateEpoch),
              ],
              cacheTimeCommands(input.env.GOCACHE),
            )
          : `# No standard-library cache (go.warmCache: false).\nRUN ${reproducibleRunBody(createUser)}`,
        installBinaries: reproducibleRunBody([
          ...installBinariesCommands(BIN_MOUNT, BIN_DIR),
          ...siteCaCommands(target, FILES_MOUNT),
          ...installFilesCommands(FILES_MOUNT, [
            { source: 'go-telemetry-mode', dest: goTelemetryModeFile(home) },
            { source: 'go-telemetry-mode', dest: goTelemetryModeFile('/root') },
          ]),
        ]),
        stemStage: policy.stem,
        policyDir: policy.dir,
        env: instructionPairs(Object.fromEntries(policy.env)),
        labels: instructionPairs(policy.labels),
        user: policy.user,
        home: policy.workdir,
      },
      'toolchain/Dockerfile.tmpl',
    );
  }
  return fillTemplate(
    templates.kind,
    {
      ...common,
      rootfs: ROOTFS,
      // The site's CAs join the rootfs stage's trust first, so the bundle the runtime copies holds them.
      assembleRootfs: reproducibleRunBody([
        ...siteCaCommands(target, FILES_MOUNT),
        ...assembleRootfsCommands(target.family, target.user, FILES_MOUNT),
      ]),
    },
    'runtime/Dockerfile.tmpl',
  );
}

/** The toolchain image's last stage as data: the Dockerfile renders it, and bake can write it itself. */
export function toolchainPolicyStage(input: Pick<RenderInput, 'target' | 'env' | 'labels'>): PolicyStage {
  const { user } = input.target;
  return {
    stem: TOOLCHAIN_STEM,
    dir: POLICY_DIR,
    env: Object.entries(input.env),
    labels: { ...input.labels, 'io.bake.kind': 'toolchain' },
    user: `${user.uid}:${user.gid}`,
    workdir: userHome(user),
  };
}

/** The std-cache and builder stages as both kinds render them, and the images their Dockerfiles name. */
export function builderOf(
  input: Pick<RenderInput, 'target' | 'go' | 'builderGo' | 'warmCache'>,
  templates: Pick<DockerfileTemplates, 'stdCache' | 'builder' | 'sources' | 'cacheSources' | 'tools'>,
): { builderStage: string; images: StageImages } {
  const stdCacheStage = fillTemplate(
    templates.stdCache,
    { warmCache: warmCacheStep(input.warmCache), clearCacheTimes: clearCacheTimesStep(input.warmCache) },
    'stages/std-cache.Dockerfile.tmpl',
  ).trimEnd();
  const binStage = fillTemplate(
    templates.builder,
    { buildBinaries: [...buildBinariesSteps(input.target.tools), ...moduleToolSteps(input.target)].join('\n') },
    'stages/builder.Dockerfile.tmpl',
  ).trimEnd();
  const builderStage = `${stdCacheStage}\n\n${binStage}`;
  const goBuild = goImageRef((input.builderGo ?? input.go).sha256);
  const { arch } = input.target;
  return {
    builderStage,
    images: {
      go: goImageRef(input.go.sha256),
      goBuild,
      stdCache: stdCacheImageRef({
        stage: stdCacheStage,
        goBuildImage: goBuild,
        sources: templates.cacheSources,
        arch,
      }),
      bin: binImageRef({
        builderStage,
        goBuildImage: goBuild,
        sources: templates.sources,
        ...(templates.tools?.length ? { tools: templates.tools } : {}),
        arch,
      }),
    },
  };
}

/**
 * The image of the kind's pinned .deb files, when apt installs exact versions: bake downloads
 * them on the build platform (apt checks each against the signed index) once per set.
 */
export function packagesImageOf(
  input: Pick<RenderInput, 'target' | 'packages'>,
  kind: ImageKind,
): PackagesImage | undefined {
  const pins = pinsOf(input, kind);
  if (input.target.family !== 'debian' || input.packages?.manager !== 'apt' || !pins?.length) return undefined;
  return { ref: packagesImageRef(input.target.arch, pins), pins };
}

/** The Dockerfile lines that name the packages image and mount it for the install step (none without). */
function packagesPlaceholders(packages: PackagesImage | undefined): Record<string, string> {
  if (!packages) return { packagesArg: '', packagesStage: '', packagesMount: '' };
  return {
    packagesArg:
      "\n# The pinned packages, downloaded and checked by bake against the archive's signed index.\n" +
      `ARG PACKAGES_IMAGE=${packages.ref}`,
    packagesStage: '\nFROM ${PACKAGES_IMAGE} AS packages',
    packagesMount: `--mount=type=bind,from=packages,source=${PACKAGES_IMAGE_DIR},target=${PACKAGES_MOUNT} `,
  };
}

/** Keys of ENV and LABEL pairs go unquoted: variable names and dotted label keys only. */
const INSTRUCTION_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** `KEY="value"` pairs of one ENV or LABEL instruction, one per line. */
function instructionPairs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      if (!INSTRUCTION_KEY.test(key))
        throw new BakeError(`ENV or LABEL key ${JSON.stringify(key)} is not a plain name`, ExitCode.Failure);
      return `${key}=${dockerfileQuote(value)}`;
    })
    .join(' \\\n    ');
}

/**
 * What the install step names: every package resolved for the image at its exact version
 * (so the image changes exactly when one of them does), or the names when nothing is pinned.
 */
export function installSpecs(
  input: Pick<RenderInput, 'target' | 'packages'>,
  kind: ImageKind,
  names: string[],
): string[] {
  const pins = pinsOf(input, kind);
  if (!pins?.length) return names;
  return pins.map((pin) => FAMILY[input.target.family].pinSpec(pin));
}

/** The exact versions the plan resolved for the kind's install step (none when unpinned). */
function pinsOf(input: Pick<RenderInput, 'packages'>, kind: ImageKind): PinnedPackage[] | undefined {
  return input.packages?.pinned ? input.packages.images[kind] : undefined;
}
