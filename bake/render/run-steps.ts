import { posix } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { assertOperand } from '../common/command-operand';
import { shellQuote } from '../common/shell-quote';
import type { WarmCache } from '../plan/types';
import type { BuildUser, Target } from '../recipe/types';
import { goTelemetryModeFile, GOROOT, userHome } from '../plan/go-environment';
import { PROBE_FILES, PROBE_NAME } from './probe';

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

/** Where the builder stage leaves its outputs (images/stages/builder.Dockerfile.tmpl). */
export const BUILDER_OUT = { probe: '/probe', tools: '/out', cache: '/cache/go-build' } as const;

/**
 * The builder stage's build steps for what needs no download, one exec-form RUN per binary
 * (the stage has no shell): the probe and the recipe's tools of the Go distribution, as static,
 * stripped binaries, with modules off (GOPROXY=off). Module tools follow (module-tools.ts).
 */
export function buildBinariesSteps(tools: Target['tools']): string[] {
  // A Go import path never starts with "-" (and `go build` takes `--` before its packages).
  const build = (out: string, pkg: string) =>
    `RUN ${JSON.stringify([`${GOROOT}/bin/go`, 'build', '-trimpath', '-ldflags=-s -w', '-o', out, '--', pkg])}`;
  const steps = [build(`${BUILDER_OUT.probe}/${PROBE_NAME}`, '.')];
  for (const tool of binaryTools(tools).filter((t) => !t.module))
    steps.push(build(`${BUILDER_OUT.tools}/${tool.name}`, assertOperand('Go package', tool.package)));
  return steps;
}

/** The recipe's tools, checked: each becomes a file name in /out. */
export function binaryTools(tools: Target['tools']): Target['tools'] {
  for (const tool of tools) {
    if (tool.name === PROBE_NAME)
      throw new BakeError(`tool name "${tool.name}" is reserved for bake's readiness probe`, ExitCode.InvalidRecipe);
    // The name is a file in /out, which the images copy whole: one plain path segment.
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tool.name))
      throw new BakeError(`tool name ${JSON.stringify(tool.name)} is not a plain file name`, ExitCode.InvalidRecipe);
    assertOperand('Go package', tool.package);
    // The recipe loader splits `pkg@version` into the package and its module: a version left
    // in the package would reach `go build` with modules off.
    if (tool.package.includes('@'))
      throw new BakeError(
        `tool "${tool.name}": ${tool.package} carries a version; a module tool names its module and version apart`,
        ExitCode.InvalidRecipe,
      );
    if (tool.module) {
      assertOperand('Go module', tool.module.path);
      assertOperand('module version', tool.module.version);
    }
  }
  return tools;
}

/** The sources of bake's helper that clears the times in Go cache entries (images/cachetime). */
export const CACHE_TIMES_FILES = ['cachetime/go.mod', 'cachetime/main.go'] as const;

/** bake's own Go sources the builder stage compiles: the probe and the cache helper. */
export const BUILDER_SOURCES = [...PROBE_FILES, ...CACHE_TIMES_FILES] as const;

/** Where the builder stage's `cache-times` stage leaves the helper. */
const CACHE_TIMES = '/bake-cache-times';

/**
 * The builder step that compiles the standard-library packages of the warm cache into
 * BUILDER_OUT.cache, for the target (GOOS/GOARCH/CGO_ENABLED from the stage's environment)
 * with the policy's flags. A release toolchain keys its cache by version, not by the host it
 * runs on, so what the build platform's Go compiles here is what the image's Go finds.
 */
export function warmCacheStep(cache: WarmCache | undefined): string {
  if (!cache) return '# No standard-library cache (go.warmCache: false).';
  const packages = cache.packages.map((p) => assertOperand('Go package', p));
  return `RUN ${JSON.stringify([`${GOROOT}/bin/go`, 'build', ...cache.flags, '--', ...packages])}`;
}

/** The builder step that clears the build times in the warm cache's entries (the same bytes on every engine). */
export function clearCacheTimesStep(cache: WarmCache | undefined): string {
  if (!cache) return '# Nothing to clear.';
  return (
    `RUN --mount=type=bind,from=cache-times,source=${CACHE_TIMES},target=/run${CACHE_TIMES} ` +
    JSON.stringify([`/run${CACHE_TIMES}`, BUILDER_OUT.cache])
  );
}

/** Installs the builder's binaries (bind-mounted at `from`, maybe none) into `binDir`, root-owned and executable. */
export function installBinariesCommands(from: string, binDir: string): string[] {
  return [
    `find ${shellQuote(from)} -mindepth 1 -maxdepth 1 -type f -exec install -m 0755 -t ${shellQuote(binDir)} -- {} +`,
  ];
}

/**
 * Go's build cache entries record when they were written and its trimming deletes what has not
 * been used for five days, judged by file times: a cache shipped with SOURCE_DATE_EPOCH times
 * would be trimmed by the first `go` command run in a container. Its files get this fixed time
 * in the future instead (2100-01-01): never trimmed, never rewritten on use (no copy-up of the
 * layer), the same on every build. CLAMP_TIMES leaves files of this time alone.
 */
export const CACHE_FILE_TIME = 4102444800;

/**
 * Copies the builder's standard-library cache (bind-mounted at `from`) into the build user's
 * GOCACHE: owned by the user, its one wall-clock file (trim.txt) dropped and the time each entry
 * records set to SOURCE_DATE_EPOCH, so the layer is the same on every build.
 */
export function installCacheCommands(
  from: string,
  gocache: string,
  user: BuildUser,
  sourceDateEpoch: number,
): string[] {
  const dir = shellQuote(gocache);
  // An entry is `v1 <id> <output> <size:%20d> <time:%20d>\n`: the time is rewritten in place, width kept.
  const entryTime = ` ${(BigInt(sourceDateEpoch) * 1_000_000_000n).toString().padStart(20)}`;
  return [
    `install -d -o ${user.uid} -g ${user.gid} -m 0755 -- ${dir}`,
    `cp -R -- ${shellQuote(from)}/. ${dir}/`,
    `rm -f -- ${dir}/trim.txt`,
    `find ${dir} -type f -name '*-a' -exec sed -i -E 's/ +[0-9]+$/${entryTime}/' -- {} +`,
    `chown -R ${user.uid}:${user.gid} -- ${dir}`,
  ];
}

/** Gives every file of the cache CACHE_FILE_TIME (after CLAMP_TIMES, which would set it back). */
export function cacheTimeCommands(gocache: string): string[] {
  return [`find ${shellQuote(gocache)} -type f -exec touch --date=@${CACHE_FILE_TIME} -- {} +`];
}

/**
 * Installs context files (bind-mounted at `from`) root-owned, mode 0644, creating parents: in
 * a RUN rather than by COPY, because COPY stamps the directories it writes into with the
 * build's clock, which only a RUN can set back.
 */
export function installFilesCommands(from: string, files: { source: string; dest: string }[]): string[] {
  return files.map((f) => `install -D -m 0644 -- ${shellQuote(`${from}/${f.source}`)} ${shellQuote(f.dest)}`);
}

/**
 * The last commands of every RUN: ldconfig's aux-cache (inode numbers and ctimes) is emptied
 * when the step rewrote it, then what the step wrote gets SOURCE_DATE_EPOCH as its time
 * (BuildKit's own rewrite-timestamp does not reach the classic image store), so a rebuild of
 * the same plan gives the same layer. Read-only bind mounts refuse the touch; that is fine.
 */
export const CLAMP_TIMES = [
  'find /var/cache/ldconfig -xdev -type f -newermt "@${SOURCE_DATE_EPOCH}" -exec truncate -s 0 -- {} + 2>/dev/null',
  `{ find / -xdev -newermt "@\${SOURCE_DATE_EPOCH}" ! -newermt "@${CACHE_FILE_TIME - 1}" ` +
    '-exec touch --no-dereference --date="@${SOURCE_DATE_EPOCH}" {} + 2>/dev/null || true; }',
];

/** One RUN body whose files all carry SOURCE_DATE_EPOCH (see CLAMP_TIMES), then `last` runs. */
export function reproducibleRunBody(commands: string[], last: string[] = []): string {
  return runBody([...commands, ...CLAMP_TIMES, ...last]);
}
