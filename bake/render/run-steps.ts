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
 * The builder stage's build steps, one exec-form RUN per binary (the stage has no shell): the
 * probe and the recipe's tools as static, stripped binaries in /out. The build has no network
 * but the distribution archive, so modules are off (GOPROXY=off): a tool must be a package of
 * the Go distribution itself; `pkg@version` cannot be built here.
 */
export function buildBinariesSteps(tools: Target['tools']): string[] {
  // A Go import path never starts with "-" (and `go build` takes `--` before its packages).
  const build = (out: string, pkg: string) =>
    `RUN ${JSON.stringify([`${GOROOT}/bin/go`, 'build', '-trimpath', '-ldflags=-s -w', '-o', out, '--', pkg])}`;
  const steps = [build(`/out/${PROBE_NAME}`, '.')];
  for (const tool of binaryTools(tools))
    steps.push(build(`/out/${tool.name}`, assertOperand('Go package', tool.package)));
  return steps;
}

/** The recipe's tools, checked: each becomes a file name in /out and a package to build. */
export function binaryTools(tools: Target['tools']): Target['tools'] {
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
  }
  return tools;
}

/** Installs the builder's binaries (bind-mounted at `from`) into `binDir`, root-owned and executable. */
export function installBinariesCommands(from: string, binDir: string): string[] {
  return [`install -m 0755 -- ${shellQuote(from)}/* ${shellQuote(binDir)}/`];
}

/**
 * Installs context files (bind-mounted at `from`) root-owned, mode 0644, creating parents: in
 * a RUN rather than by COPY, because COPY stamps the directories it writes into with the
 * build's clock, which only a RUN can set back.
 */
export function installFilesCommands(from: string, files: { source: string; dest: string }[]): string[] {
  return files.map((f) => `install -D -m 0644 -- ${shellQuote(`${from}/${f.source}`)} ${shellQuote(f.dest)}`);
}

/** Copies a tree (bind-mounted at `from`) to `dest`, keeping its owners, modes and times. */
export function copyTreeCommands(from: string, dest: string): string[] {
  return [`cp -a -- ${shellQuote(from)} ${shellQuote(dest)}`];
}

/**
 * The last commands of every RUN: ldconfig's aux-cache (inode numbers and ctimes) is emptied
 * when the step rewrote it, then what the step wrote gets SOURCE_DATE_EPOCH as its time
 * (BuildKit's own rewrite-timestamp does not reach the classic image store), so a rebuild of
 * the same plan gives the same layer. Read-only bind mounts refuse the touch; that is fine.
 */
export const CLAMP_TIMES = [
  'find /var/cache/ldconfig -xdev -type f -newermt "@${SOURCE_DATE_EPOCH}" -exec truncate -s 0 -- {} + 2>/dev/null',
  '{ find / -xdev -newermt "@${SOURCE_DATE_EPOCH}" -exec touch --no-dereference --date="@${SOURCE_DATE_EPOCH}" {} + ' +
    '2>/dev/null || true; }',
];

/** One RUN body whose files all carry SOURCE_DATE_EPOCH (see CLAMP_TIMES). */
export function reproducibleRunBody(commands: string[]): string {
  return runBody([...commands, ...CLAMP_TIMES]);
}
