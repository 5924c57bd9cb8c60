import { posix } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { shellQuote } from '../common/shell-quote';
import type { PlanCore } from '../plan/types';
import type { ImageKind } from '../recipe/types';
import { dockerfileQuote } from '../common/dockerfile-quote';
import { FAMILY } from './family';
import { GOROOT, userHome } from './go-environment';
import { BIN_DIR, PROBE_PATH } from './probe';
import { buildBinariesCommands, createUserCommands, runBody } from './run-steps';
import { fillTemplate } from './template';

export interface DockerfileTemplates {
  /** images/<kind>/Dockerfile.tmpl */
  kind: string;
  /** images/stages/builder.Dockerfile.tmpl, shared by both kinds. */
  builder: string;
}

/** Official archive names (and bake's repacks, which use them): nothing the Dockerfile could misread. */
const GO_ARCHIVE_NAME = /^go[0-9]+(\.[0-9]+){1,2}([a-z]+[0-9]+)?\.linux-(amd64|arm64)\.tar\.gz$/;
/** Image references go unquoted into `ARG` and `# syntax=` (a parser directive takes no quoting). */
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

const LOGIN_SHELL = '/bin/bash';
/** A runtime user never logs in; the path exists on both families. */
const NO_LOGIN_SHELL = '/usr/sbin/nologin';

export function renderDockerfile(core: PlanCore, kind: ImageKind, templates: DockerfileTemplates, dockerfileSyntax?: string): string {
  const { target, go } = core;
  if (!GO_ARCHIVE_NAME.test(go.filename)) {
    throw new BakeError(`Go archive name "${go.filename}" is not of the form goX.Y.Z.linux-ARCH.tar.gz`, ExitCode.Failure);
  }
  if (!IMAGE_REF.test(core.base.ref)) throw new BakeError(`base image "${core.base.ref}" is not an image reference`, ExitCode.InvalidRecipe);
  if (dockerfileSyntax !== undefined && !IMAGE_REF.test(dockerfileSyntax)) {
    throw new BakeError(`--dockerfile-syntax "${dockerfileSyntax}" is not an image reference`, ExitCode.Usage);
  }
  const family = FAMILY[target.family];
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
    baseImage: core.base.ref,
    builderStage: builderStage.trimEnd(),
    labels: instructionPairs({ ...core.labels, 'io.bake.kind': kind }),
    user: `${target.user.uid}:${target.user.gid}`,
    // The schema restricts user names to [a-z0-9_-], so HOME needs no quoting.
    home,
  };
  if (kind === 'toolchain') {
    const packages = installSpecs(core, kind, withRequired(target.packages, family.runtimePackages));
    const owned = [core.env.GOPATH, core.env.GOBIN, core.env.GOMODCACHE, core.env.GOCACHE];
    return fillTemplate(
      templates.kind,
      {
        ...common,
        installPackages: runBody(family.installCommands(packages.map(shellQuote))),
        goArchive: go.filename,
        goParent,
        goroot: GOROOT,
        createUser: runBody(createUserCommands(target.user, LOGIN_SHELL, owned)),
        binDir: BIN_DIR,
        env: instructionPairs(core.env),
      },
      'toolchain/Dockerfile.tmpl',
    );
  }
  return fillTemplate(
    templates.kind,
    {
      ...common,
      installPackages: runBody(family.installCommands(installSpecs(core, kind, family.runtimePackages).map(shellQuote))),
      createUser: runBody(createUserCommands(target.user, NO_LOGIN_SHELL, [])),
      probePath: PROBE_PATH,
    },
    'runtime/Dockerfile.tmpl',
  );
}

/** `KEY="value"` pairs of one ENV or LABEL instruction, one per line. */
function instructionPairs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${dockerfileQuote(value)}`)
    .join(' \\\n    ');
}

/**
 * What the install step names: every package resolved for the image at its exact version
 * (so the image changes exactly when one of them does), or the names when nothing is pinned.
 */
export function installSpecs(core: Pick<PlanCore, 'target' | 'packages'>, kind: ImageKind, names: string[]): string[] {
  const pins = core.packages?.pinned ? core.packages.images[kind] : undefined;
  if (!pins?.length) return names;
  return pins.map((pin) => FAMILY[core.target.family].pinSpec(pin));
}

/** The recipe's packages in its order, then whatever the image always needs and it left out. */
function withRequired(packages: string[], required: string[]): string[] {
  const out = [...new Set(packages)];
  for (const p of required) if (!out.includes(p)) out.push(p);
  return out;
}
