import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';

export interface LockOptions {
  /** Give up after this long (a build holding it may download and repack for minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** Called once when the lock is held by someone else, so the user knows why we wait. */
  onWait?: (holder: string) => void;
}

/**
 * Runs `fn` while holding a lock directory (mkdir is atomic), so concurrent bake runs and
 * test workers sharing one cache do not run apt on the same private state or build the same
 * files twice. A lock left by a dead process (its pid no longer exists) is taken over.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30 * 60 * 1000;
  const pollMs = options.pollMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await fs.readFile(join(lockDir, 'pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(holder, 10);
    if (pid > 0 && !processAlive(pid)) {
      await fs.rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new BakeError(`${lockDir}: still locked by process ${holder || '?'} after ${Math.round(timeoutMs / 1000)} s`, ExitCode.Locked);
    }
    if (!warned) options.onWait?.(holder || '?');
    warned = true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    await fs.writeFile(join(lockDir, 'pid'), String(process.pid));
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
