import { posix } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { assertOperand } from '../common/command-operand';
import { shellQuote } from '../common/shell-quote';
import type { BuildUser, Target } from '../recipe/types';
import { goTelemetryModeFile, GOROOT, userHome } from '../plan/go-environment';
import { PROBE_NAME } from './probe';

/** One RUN instruction's body: commands chained with &&, one per line for readable diffs. */
export function runBody(commands: string[]): string {
  return commands.join(' \\\n && ');
}

/**
 * Creates the build user with a fixed uid/gid, and the directories it must be able to write
 * (every directory from HOME down to each path in `ownedPaths`), owned by it.
 * --no-log-init keeps a high uid from writing a large sparse lastlog into the layer.
 */
export function createUserCommands(user: BuildUser, shell: string, ownedPaths: string[]): string[] {
  const home = userHome(user);
  const name = shellQuote(user.name);
  const commands = [
    // `--` before every operand: a value is never read as an option, whatever it starts with.
    `groupadd --gid ${user.gid} -- ${name}`,
    `useradd --uid ${user.uid} --gid ${user.gid} --no-log-init --create-home ` +
      `--home-dir ${shellQuote(home)} --shell ${shellQuote(shell)} -- ${name}`,
  ];
  const telemetry = goTelemetryModeFile(home);
  const dirs = directoriesBelow(home, [...ownedPaths, posix.dirname(telemetry)]);
  if (dirs.length)
    commands.push(`install -d -o ${user.uid} -g ${user.gid} -m 0755 -- ${dirs.map(shellQuote).join(' ')}`);
  return commands;
}

/** Every directory strictly below `home` on the way to each path, parents first, no repeats. */
export function directoriesBelow(home: string, paths: string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const rel = posix.relative(home, path);
    if (rel === '' || rel.startsWith('..') || posix.isAbsolute(rel)) continue;
    let dir = home;
    for (const part of rel.split('/')) {
      dir = `${dir}/${part}`;
      if (!out.includes(dir)) out.push(dir);
    }
  }
  return out;
}

/**
 * Builds the probe and the recipe's tools as static, stripped binaries into /out.
 * The build has no network but the distribution archive, so modules are off (GOPROXY=off):
 * a tool must be a package of the Go distribution itself; `pkg@version` cannot be built here.
 */
export function buildBinariesCommands(tools: Target['tools']): string[] {
  const go = `${GOROOT}/bin/go`;
  // A Go import path never starts with "-" (and `go build` takes `--` before its packages).
  const build = (out: string, pkg: string) =>
    `${go} build -trimpath -ldflags "-s -w" -o ${shellQuote(out)} -- ${shellQuote(assertOperand('Go package', pkg))}`;
  const commands = [
    'export CGO_ENABLED=0 GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=readonly',
    build(`/out/${PROBE_NAME}`, '.'),
  ];
  for (const tool of tools) {
    if (tool.name === PROBE_NAME)
      throw new BakeError(`tool name "${tool.name}" is reserved for bake's readiness probe`, ExitCode.InvalidRecipe);
    // The name is a file in /out, which the images copy whole: one plain path segment.
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tool.name))
      throw new BakeError(`tool name ${JSON.stringify(tool.name)} is not a plain file name`, ExitCode.InvalidRecipe);
    if (tool.package.includes('@')) {
      throw new BakeError(
        `tool "${tool.name}": ${tool.package} needs a module download, which image builds do not do; ` +
          'list a package of the Go distribution',
        ExitCode.InvalidRecipe,
      );
    }
    commands.push(build(`/out/${tool.name}`, tool.package));
  }
  return commands;
}
