import { posix } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { goTelemetryModeFile, GOROOT, userHome } from '../plan/go-environment';
import { imagePackages } from '../plan/image-packages';
import type { ImageKind } from '../recipe/types';
import { assertSingleLine, dockerfileQuote } from '../common/dockerfile-quote';
import { FAMILY, packageWords } from './family';
import { assertGoArchiveName } from './go-archive-name';
import { BIN_DIR, PROBE_PATH } from './probe';
import { buildBinariesCommands, createUserCommands, runBody } from './run-steps';
import { fillTemplate } from './template';
import type { RenderInput } from './types';

export interface DockerfileTemplates {
  /** images/<kind>/Dockerfile.tmpl */
  kind: string;
  /** images/stages/builder.Dockerfile.tmpl, shared by both kinds. */
  builder: string;
}

/** Image references go unquoted into `ARG` and `# syntax=` (a parser directive takes no quoting). */
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

const LOGIN_SHELL = '/bin/bash';
/** A runtime user never logs in; the path exists on both families. */
const NO_LOGIN_SHELL = '/usr/sbin/nologin';

export function renderDockerfile(
  input: RenderInput,
  kind: ImageKind,
  templates: DockerfileTemplates,
  dockerfileSyntax?: string,
): string {
  const { target, go } = input;
  assertGoArchiveName(go.filename);
  if (!IMAGE_REF.test(input.base.ref))
    throw new BakeError(`base image "${input.base.ref}" is not an image reference`, ExitCode.InvalidRecipe);
  if (dockerfileSyntax !== undefined && !IMAGE_REF.test(dockerfileSyntax)) {
    throw new BakeError(`--dockerfile-syntax "${dockerfileSyntax}" is not an image reference`, ExitCode.Usage);
  }
  const family = FAMILY[target.family];
  // The target name goes into a comment line: a line break would start an instruction.
  assertSingleLine('target name', target.name);
  const home = userHome(target.user);
  const goParent = posix.dirname(GOROOT);
  const builderStage = fillTemplate(
    templates.builder,
    { goArchive: go.filename, goParent, buildBinaries: runBody(buildBinariesCommands(target.tools)) },
    'stages/builder.Dockerfile.tmpl',
  );
  const common = {
    syntax: dockerfileSyntax ? `# syntax=${dockerfileSyntax}\n` : '',
    target: target.name,
    baseImage: input.base.ref,
    builderStage: builderStage.trimEnd(),
    labels: instructionPairs({ ...input.labels, 'io.bake.kind': kind }),
    user: `${target.user.uid}:${target.user.gid}`,
    // userHome refuses any name but [a-z0-9_-], so HOME needs no quoting (WORKDIR takes none).
    home,
  };
  if (kind === 'toolchain') {
    const packages = installSpecs(input, kind, imagePackages(target)[kind]);
    const owned = [input.env.GOPATH, input.env.GOBIN, input.env.GOMODCACHE, input.env.GOCACHE];
    return fillTemplate(
      templates.kind,
      {
        ...common,
        installPackages: runBody(family.installCommands(packageWords(packages))),
        goArchive: go.filename,
        goParent,
        goroot: GOROOT,
        createUser: runBody(createUserCommands(target.user, LOGIN_SHELL, owned)),
        binDir: BIN_DIR,
        env: instructionPairs(input.env),
        telemetryModeFile: goTelemetryModeFile(home),
        rootTelemetryModeFile: goTelemetryModeFile('/root'),
      },
      'toolchain/Dockerfile.tmpl',
    );
  }
  return fillTemplate(
    templates.kind,
    {
      ...common,
      installPackages: runBody(
        family.installCommands(packageWords(installSpecs(input, kind, imagePackages(target)[kind]))),
      ),
      createUser: runBody(createUserCommands(target.user, NO_LOGIN_SHELL, [])),
      probePath: PROBE_PATH,
    },
    'runtime/Dockerfile.tmpl',
  );
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
  const pins = input.packages?.pinned ? input.packages.images[kind] : undefined;
  if (!pins?.length) return names;
  return pins.map((pin) => FAMILY[input.target.family].pinSpec(pin));
}
