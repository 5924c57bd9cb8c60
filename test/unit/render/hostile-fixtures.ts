// Hostile values and a scratch sandbox for the tests that run what bake generates: every command
// a generated script could reach is a stub on PATH that only logs its argv, so running the script
// shows what each value became (one intact word, or something worse) and changes nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Commands the generated scripts run; each stub logs `name US arg US arg...` and succeeds (or fails where noted). */
const STUBS: Record<string, string> = {
  'apt-get': '',
  // Nothing is installed, but a runtime image's package records are read with --status.
  'dpkg-query': '[ "$1" = --status ] || exit 1',
  rpm: 'exit 1',
  yum: '',
  dnf: '',
  // A group exists once groupadd made it; no user does.
  groupadd: ': >"$STUB_LOG.group"',
  useradd: '',
  getent:
    '[ "$1" = group ] && [ -e "$STUB_LOG.group" ] && ' +
    '{ eval "last=\\${$#}"; echo "$last:x:$STUB_UID:"; exit 0; }; exit 2',
  id: 'echo "$STUB_UID"',
  install: '',
  systemctl: 'exit 1',
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

export interface ShellResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface SyntaxResult {
  status: number | null;
  stderr: string;
}

/** Runs each script after its syntax check; the results go to files in $1, named by index. */
const RUN_EACH = `out=$1; shift; i=0
for body; do
  sh -n -c "$body" 2>"$out/$i.syntax-err"; echo $? >"$out/$i.syntax"
  sh -c "$body" >"$out/$i.out" 2>"$out/$i.err"; echo $? >"$out/$i.status"
  i=$((i + 1))
done`;

export interface Sandbox {
  dir: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  run(script: string, args?: string[]): ShellResult;
  /**
   * Each script parsed by `sh -n`, then run by `sh -c` (as Docker runs a RUN step), in order, from
   * one process: a spawn from the test costs more than the scripts themselves.
   */
  runEach(scripts: string[]): { syntax: SyntaxResult; run: ShellResult }[];
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
    // One write per call (stubs run concurrently in pipelines); words joined by US, which no value
    // holds. POSIX sh: a stub starts faster than under bash, and the scripts call hundreds.
    writeFileSync(
      path,
      `#!/bin/sh\nIFS='\x1f'; if [ $# -eq 0 ]; then rec=${name}; else rec="${name}$IFS$*"; fi; ` +
        `printf '%s\\n' "$rec" >>"$STUB_LOG"; unset IFS\n${tail}\n`,
    );
    chmodSync(path, 0o755);
  }
  const env = { PATH: `${bin}:/usr/bin:/bin`, STUB_LOG: log, STUB_UID: '10001', HOME: join(dir, 'work'), LC_ALL: 'C' };
  const run = (script: string, args: string[] = []): ShellResult => {
    const r = spawnSync('bash', ['-c', script, 'bash', ...args], {
      cwd: join(dir, 'work'),
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    dir,
    bin,
    env,
    run,
    runEach: (scripts) => {
      const out = mkdtempSync(join(dir, 'results-'));
      const driver = run(RUN_EACH, [out, ...scripts]);
      if (driver.status !== 0) throw new Error(`the test's own driver failed: ${driver.stderr}`);
      const read = (i: number, suffix: string) => readFileSync(join(out, `${i}.${suffix}`), 'utf8');
      return scripts.map((_, i) => ({
        syntax: { status: Number(read(i, 'syntax')), stderr: read(i, 'syntax-err') },
        run: { status: Number(read(i, 'status')), stdout: read(i, 'out'), stderr: read(i, 'err') },
      }));
    },
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

/** `bash -n` (and `sh -n` when asked) of a script: the exit status and what the shell said. */
export function syntaxCheck(script: string, shell: 'bash' | 'sh' = 'bash'): SyntaxResult {
  const r = spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

/** The arguments after the first `--` of a stub call: the operands the command saw. */
export function operands(argv: string[]): string[] {
  const i = argv.indexOf('--');
  return i < 0 ? [] : argv.slice(i + 1);
}
