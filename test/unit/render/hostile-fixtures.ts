// Hostile values and a scratch sandbox for the tests that run what bake generates: every command
// a generated script could reach is a stub on PATH (and a shell function where a name allows) that
// only logs its argv, so running the script shows what each value became (one intact word, or
// something worse) and changes nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Values that do something when a generator forgets to quote, escape or end options. */
export const HOSTILE = [
  '$(touch PWNED)',
  '`touch PWNED`',
  "'; touch PWNED; '",
  '"; touch PWNED; "',
  '-rf',
  '--help',
  '${path.root}',
  '%{ if true }x%{ endif }',
  '%h',
  '\\',
  'a\\',
  'EOF',
  'BAKE_FILE_END',
  '*',
  '$HOME',
  '~root',
  'a b',
  '#x',
  '; touch PWNED',
  '&& touch PWNED',
  '| touch PWNED',
  '>PWNED',
  '$$',
  "it's",
] as const;

/** Hostile values that are not options (commands refuse those before they get that far). */
export const HOSTILE_WORDS = HOSTILE.filter((v) => !v.startsWith('-'));

/**
 * Commands the generated scripts run, each a stub that logs `name US arg US arg...` and then
 * runs its tail (a function body: `return`, never `exit`), which succeeds unless noted.
 */
const STUBS: Record<string, string> = {
  'apt-get': '',
  // Nothing is installed, but a runtime image's package records are read with --status.
  'dpkg-query': '[ "${1-}" = --status ] || return 1',
  rpm: 'return 1',
  yum: '',
  dnf: '',
  // A group exists once groupadd made it; no user does.
  groupadd: ': >"$STUB_LOG.group"',
  useradd: '',
  getent: '[ "${1-}" = group ] && [ -e "$STUB_LOG.group" ] || return 2; shift $(($# - 1)); echo "$1:x:$STUB_UID:"',
  id: 'echo "$STUB_UID"',
  install: '',
  systemctl: 'return 1',
  runuser: '',
  restorecon: '',
  getenforce: 'echo Disabled',
  rm: '',
  sed: '',
  go: '',
  // The reproducibility steps of every image RUN (CLAMP_TIMES) and the Go tree copy.
  find: '',
  touch: '',
  truncate: '',
  cp: '',
  chown: '',
  // curl writes the file it is asked for, so the download step can go on.
  curl: 'while [ $# -gt 0 ]; do [ "$1" = -o ] && { : >"$2"; shift; }; shift; done',
};

// One write per call (stubs run concurrently in pipelines); words joined by US, which no value
// holds. `local`: as a function it runs in the script's own shell, whose variables it must keep.
const STUB_LOG_FUNCTION = `stub_log() {
  local rec="$1" arg
  shift
  for arg; do rec="$rec\x1f$arg"; done
  printf '%s\\n' "$rec" >>"$STUB_LOG"
}`;

const stubFunction = (name: string, command: string, tail: string) =>
  `${name}() {\n  stub_log ${command} "$@"\n  ${tail}\n}`;

/**
 * The stubs as shell functions, for the shell that runs a generated script: there a call costs
 * no process, and processes are most of what these tests spend (a fork takes milliseconds here).
 * A function gets the very words the command would; whatever reaches a command another way (by
 * path, through env or xargs) still finds the stub on PATH. sh takes only POSIX names (not
 * apt-get or dpkg-query: those stay commands), bash takes them all.
 */
export function stubFunctions(shell: 'sh' | 'bash'): string {
  const named = Object.entries(STUBS).filter(([name]) => shell === 'bash' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  return [STUB_LOG_FUNCTION, ...named.map(([name, tail]) => stubFunction(name, name, tail))].join('\n');
}

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface SyntaxResult {
  status: number | null;
  stderr: string;
}

// PARSE_EACH and RUN_EACH are POSIX sh, run by sh: dash starts a command in half the time bash takes.

/** Parses each script with `sh -n`; its status and what sh said go to files in $1, named by index. */
const PARSE_EACH = `out=$1; shift; i=0
for body; do sh -n -c "$body" 2>"$out/$i.syntax-err"; echo $? >"$out/$i.syntax"; i=$((i + 1)); done`;

/** Runs each script after the stubs' functions ($2); the results go to files in $1, named by index. */
const RUN_EACH = `out=$1 stubs=$2; shift 2; i=0
for body; do
  sh -c "$stubs
$body" >"$out/$i.out" 2>"$out/$i.err"; echo $? >"$out/$i.status"
  i=$((i + 1))
done`;

/**
 * Runs the jobs $2... ($1 at a time, oldest first), each a directory holding the NUL-separated
 * words of its command (the working directory, then what to exec); its exit status, output and
 * errors go to files there.
 */
const RUN_JOBS = `max=$1; shift; pids=() queue=()
reap() { wait "\${pids[0]}"; echo $? >"\${queue[0]}/status"; pids=("\${pids[@]:1}") queue=("\${queue[@]:1}"); }
for job; do
  [ "\${#pids[@]}" -lt "$max" ] || reap
  (mapfile -d '' -t cmd <"$job/cmd"; cd -- "\${cmd[0]}" && exec "\${cmd[@]:1}") >"$job/out" 2>"$job/err" &
  pids+=($!) queue+=("$job")
done
while [ "\${#pids[@]}" -gt 0 ]; do reap; done`;

export interface StepResult {
  syntax: SyntaxResult;
  run: ShellResult;
}

export interface Sandbox {
  dir: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  /**
   * Each script parsed by `sh -n`, then run by `sh -c` (as Docker runs a RUN step) after the stub
   * functions, in order, from one process: a spawn from the test costs more than the scripts.
   */
  runEach(scripts: string[]): StepResult[];
  /** Every stub call so far, as argv arrays (argv[0] is the command name). */
  calls(name?: string): string[][];
  /** Paths of any file named PWNED under the sandbox (or in the current directory). */
  pwned(): string[];
  close(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'bake-hostile-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  mkdirSync(join(dir, 'work'));
  for (const [name, tail] of Object.entries(STUBS)) {
    const path = join(bin, name);
    // POSIX sh: a stub starts faster than under bash, and the scripts call hundreds.
    writeFileSync(path, `#!/bin/sh\n${STUB_LOG_FUNCTION}\n${stubFunction('stub', name, tail)}\nstub "$@"\n`);
    chmodSync(path, 0o755);
  }
  const env = { PATH: `${bin}:/usr/bin:/bin`, STUB_LOG: log, STUB_UID: '10001', HOME: join(dir, 'work'), LC_ALL: 'C' };
  const box: Sandbox = {
    dir,
    bin,
    env,
    runEach: (scripts) => runEachIn([{ box, scripts }])[0],
    calls: (name) => {
      let text: string;
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        return [];
      }
      const all = text
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\x1f'));
      return name ? all.filter((argv) => argv[0] === name) : all;
    },
    pwned: () => findPwned(dir).concat(findPwned(process.cwd(), 1)),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
  return box;
}

/** A command to run in a sandbox: in its work directory, with its environment and nothing else. */
export interface Job {
  box: Sandbox;
  argv: string[];
}

/**
 * Each job's command, from one bash process, as many at once as there are CPUs: a spawn from the
 * test costs more than most of these commands, and a lone Jest worker leaves CPUs idle.
 */
export function runJobs(jobs: Job[]): ShellResult[] {
  const dirs = jobs.map(({ box, argv }) => {
    const dir = mkdtempSync(join(box.dir, 'job-'));
    const env = Object.entries(box.env).map(([key, value]) => `${key}=${value}`);
    const cmd = [join(box.dir, 'work'), 'env', '-i', ...env, ...argv];
    writeFileSync(join(dir, 'cmd'), cmd.map((word) => `${word}\0`).join(''));
    return dir;
  });
  const driver = spawnSync('bash', ['-c', RUN_JOBS, 'bash', String(availableParallelism()), ...dirs], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (driver.status !== 0) throw new Error(`the test's own driver failed: ${driver.error ?? driver.stderr}`);
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
  return dirs.map((dir) => ({
    status: Number(read(dir, 'status')),
    stdout: read(dir, 'out'),
    stderr: read(dir, 'err'),
  }));
}

/** runJobs for several cases at once: each case's results, in the order of its jobs. */
export function runJobsOf<T>(cases: T[], jobsOf: (c: T) => Job[]): ShellResult[][] {
  const jobs = cases.map(jobsOf);
  const results = runJobs(jobs.flat());
  let next = 0;
  return jobs.map((own) => results.slice(next, (next += own.length)));
}

/** `runEach` in several sandboxes, every one's scripts in order, all from one process (runJobs). */
export function runEachIn(batches: { box: Sandbox; scripts: string[] }[]): StepResult[][] {
  if (batches.length === 0) return [];
  // What `sh -n` says depends on the text alone: a script several sandboxes run is parsed once.
  const distinct = [...new Set(batches.flatMap((b) => b.scripts))];
  const parsed = mkdtempSync(join(batches[0].box.dir, 'parsed-'));
  const outs = batches.map(({ box }) => mkdtempSync(join(box.dir, 'results-')));
  const [parser, ...runners] = runJobs([
    { box: batches[0].box, argv: ['sh', '-c', PARSE_EACH, 'sh', parsed, ...distinct] },
    ...batches.map(({ box, scripts }, n) => ({
      box,
      argv: ['sh', '-c', RUN_EACH, 'sh', outs[n], stubFunctions('sh'), ...scripts],
    })),
  ]);
  for (const driver of [parser, ...runners])
    if (driver.status !== 0) throw new Error(`the test's own driver failed: ${driver.stderr}`);
  const read = (dir: string, i: number, suffix: string) => readFileSync(join(dir, `${i}.${suffix}`), 'utf8');
  return batches.map(({ scripts }, n) =>
    scripts.map((script, i) => {
      const p = distinct.indexOf(script);
      return {
        syntax: { status: Number(read(parsed, p, 'syntax')), stderr: read(parsed, p, 'syntax-err') },
        run: {
          status: Number(read(outs[n], i, 'status')),
          stdout: read(outs[n], i, 'out'),
          stderr: read(outs[n], i, 'err'),
        },
      };
    }),
  );
}

/**
 * Each value's case, made before the tests that read it (so that all their scripts can run from
 * one process): a value whose case cannot be made fails its own test, with that error, alone.
 */
export class PerValue<T> {
  private readonly made = new Map<string, { ok: T } | { error: unknown }>();

  constructor(values: readonly string[], make: (value: string) => T) {
    for (const value of values) {
      try {
        this.made.set(value, { ok: make(value) });
      } catch (error) {
        this.made.set(value, { error });
      }
    }
  }

  /** The cases that were made, in the order of the values. */
  all(): T[] {
    return [...this.made.values()].flatMap((m) => ('ok' in m ? [m.ok] : []));
  }

  of(value: string): T {
    const m = this.made.get(value);
    if (!m) throw new Error(`no case for ${JSON.stringify(value)}`);
    if ('error' in m) throw m.error;
    return m.ok;
  }
}

function findPwned(dir: string, depth = 8): string[] {
  if (depth < 0) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    // What `touch PWNED` or `>PWNED` would create (tests make directories whose names merely contain it).
    if (entry.name === 'PWNED') out.push(path);
    if (entry.isDirectory()) out.push(...findPwned(path, depth - 1));
  }
  return out;
}

/** The arguments after the first `--` of a stub call: the operands the command saw. */
export function operands(argv: string[]): string[] {
  const i = argv.indexOf('--');
  return i < 0 ? [] : argv.slice(i + 1);
}
