import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { BakeError, ExitCode } from './errors';
import { sleep } from './sleep';

export interface FileLockOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Called once when another live process holds the lock, so the user knows why we wait. */
  onWait?: (holderPid: number) => void;
}

/**
 * Runs `fn` holding a lock file created with O_EXCL and holding our pid. A lock whose
 * process is gone (killed mid-start) is taken over, so a crash never wedges later runs.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions): Promise<T> {
  await fs.mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let warned = false;
  for (;;) {
    try {
      const handle = await fs.open(path, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(await fs.readFile(path, 'utf8').catch(() => ''), 10);
    if (!(holder > 0) || !processAlive(holder)) {
      // Empty means the holder is between open and write; give it a moment before judging.
      if (holder > 0 || (await ageMs(path)) > 5000) await fs.rm(path, { force: true });
      else await sleep(options.pollMs ?? 200);
      continue;
    }
    // onWait first: a caller that does not wait at all says why in its own words.
    if (!warned) options.onWait?.(holder);
    warned = true;
    if (Date.now() > deadline) {
      throw new BakeError(
        `${path} is still held by process ${holder} after ${Math.round(options.timeoutMs / 1000)} s`,
        ExitCode.Locked,
      );
    }
    await sleep(options.pollMs ?? 200);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(path, { force: true });
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ageMs(path: string): Promise<number> {
  const stat = await fs.stat(path).catch(() => undefined);
  return stat ? Date.now() - stat.mtimeMs : Infinity;
}
