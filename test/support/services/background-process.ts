import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** A server the test setup started: what it takes to find and stop it again. */
export interface BackgroundProcess {
  pid: number;
  logFile: string;
}

/** Starts a server detached from the test process (it outlives setup), output to `logFile`. */
export function startBackground(
  command: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): BackgroundProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    child.unref();
    // A command that cannot be spawned (not installed) reports it as an 'error' event too, after
    // this returns: without a listener that event would end the process.
    child.on('error', () => undefined);
    if (child.pid === undefined) throw new Error(`cannot start ${command}: is it installed?`);
    return { pid: child.pid, logFile: options.logFile };
  } finally {
    closeSync(log);
  }
}

export async function stopBackground(proc: BackgroundProcess, timeoutMs = 10_000): Promise<void> {
  const alive = () => {
    try {
      process.kill(proc.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(proc.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(proc.pid, 'SIGKILL');
}

/** Polls `ready` until it resolves true, or fails naming the log to read. */
export async function waitUntilReady(
  what: string,
  proc: BackgroundProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} (pid ${proc.pid}) did not become ready within ${timeoutMs / 1000} s; see ${proc.logFile}`);
}
