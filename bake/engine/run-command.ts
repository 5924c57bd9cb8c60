import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Bytes kept of each stream (the end of it: that is where tools say what went wrong). */
  keepBytes?: number;
}

/**
 * Runs a program without a shell and collects its output. A non-zero exit is a result,
 * not an exception: callers decide what it means (and what to retry).
 */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const keep = options.keepBytes ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C.UTF-8', ...(options.env ?? process.env) },
      signal: options.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout = (stdout + b.toString('utf8')).slice(-keep)));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString('utf8')).slice(-keep)));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** The last `count` non-empty lines of a command's combined output. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
