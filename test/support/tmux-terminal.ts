import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TerminalRun {
  /** Every line a person scrolling back through the terminal sees, wrapped rows joined, trailing blanks dropped. */
  screen: string[];
  /** Everything the program wrote to the terminal, control sequences included. */
  raw: string;
  /** The program's exit status as a shell reports it (128 + N when signal N ended it). */
  exit: number;
}

export interface TerminalOptions {
  columns: number;
  rows: number;
  /** The program and its arguments, run directly (no shell). */
  argv: string[];
  cwd: string;
  /** Set in the program's environment; `unset` names are removed from it (CI, for one). */
  env: Record<string, string>;
  unset: string[];
  /** A directory of the test's own for the tmux socket and the raw output. */
  dir: string;
  timeoutMs: number;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs a program in a real terminal emulator, tmux (a private server, its own socket, no user
 * configuration), sized as asked, and returns what is on its screen and in its scrollback once
 * the program has exited: what a person at that terminal sees. The raw output is recorded from
 * the program's first byte (the program waits for the recorder before it starts).
 */
export async function runInTerminal(options: TerminalOptions): Promise<TerminalRun> {
  const socket = join(options.dir, 'tmux.sock');
  const rawFile = join(options.dir, 'raw-output');
  const exitFile = join(options.dir, 'exit-status');
  const tmux = (...args: string[]) =>
    run('tmux', ['-u', '-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const program = ['env', ...options.unset.flatMap((name) => ['-u', name]), ...options.argv].map(quote).join(' ');
  // The shell records the exit status: tmux's own (#{pane_dead_status}) is not always set.
  const command = `tmux -S ${quote(socket)} wait-for go && ${program}; echo $? >${quote(exitFile)}`;
  const env = Object.entries(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  try {
    await tmux(
      'start-server',
      ';',
      'set-option',
      '-g',
      'history-limit',
      '20000',
      ';',
      'set-option',
      '-g',
      'remain-on-exit',
      'on',
      ';',
      'new-session',
      '-d',
      '-s',
      'view',
      '-x',
      String(options.columns),
      '-y',
      String(options.rows),
      '-c',
      options.cwd,
      ...env,
      command,
    );
    await tmux('pipe-pane', '-t', 'view', '-o', `cat > ${quote(rawFile)}`);
    await tmux('wait-for', '-S', 'go');
    const exit = await waitForExit(tmux, exitFile, options.timeoutMs);
    // remain-on-exit adds a "Pane is dead" line of tmux's own at the bottom.
    const { stdout } = await tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', 'view');
    const screen = stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => !/^Pane is dead \(/.test(line));
    while (screen.length > 0 && screen[screen.length - 1] === '') screen.pop();
    const raw = await rawOutputEnding(rawFile, screen[screen.length - 1] ?? '');
    return { screen, raw, exit };
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
}

async function waitForExit(
  tmux: (...args: string[]) => Promise<{ stdout: string }>,
  exitFile: string,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fs.readFile(exitFile, 'utf8').catch(() => '');
    const { stdout } = await tmux('display-message', '-p', '-t', 'view', '#{pane_dead}');
    // Written and the shell gone: the pane shows all it will.
    if (/^\d+\n$/.test(status) && stdout.trim() === '1') return Number(status);
    if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The recorder (`cat` behind pipe-pane) may still be writing when the pane is dead: wait until
 * the raw output holds the last line the screen shows.
 */
async function rawOutputEnding(file: string, lastLine: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const raw = await fs.readFile(file, 'utf8').catch(() => '');
    if (raw.includes(lastLine) || Date.now() > deadline) return raw;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The lines of a raw terminal stream, as written: control sequences and carriage returns removed. */
export function writtenLines(raw: string): string[] {
  const text = raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
