import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../common/sleep';
import type { EngineLayout } from './types';

const STOP_WAIT_MS = 10_000;

/**
 * Clears what a bake-started dockerd that was killed (SIGKILL, OOM) leaves of its containerd:
 * dockerd reuses the containerd its pidfile names whenever that pid exists, and gives up when
 * it does not answer. A live one (its command line names our exec root) is stopped; a dead
 * or zombie one (a zombie until some init reaps it) only has its pidfile removed.
 * Returns the pid that was cleared, if any.
 */
export async function clearOrphanContainerd(layout: EngineLayout): Promise<number | undefined> {
  const pidFile = join(layout.execRoot, 'containerd', 'containerd.pid');
  const pid = Number.parseInt(await fs.readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!(pid > 0)) return undefined;
  const state = await processState(pid);
  if (state === 'running') {
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // A reused pid that is not our containerd keeps running; only the stale pidfile goes.
    if (cmdline.some((arg) => arg.startsWith(`${layout.execRoot}/`))) await stop(pid);
  }
  await fs.rm(pidFile, { force: true });
  return pid;
}

async function stop(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while ((await processState(pid)) === 'running' && Date.now() < deadline) await sleep(100);
  if ((await processState(pid)) === 'running') process.kill(pid, 'SIGKILL');
}

/** `zombie` has exited but not been reaped: it can neither answer nor be killed. */
async function processState(pid: number): Promise<'running' | 'zombie' | 'gone'> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (status === undefined) return 'gone';
  return /^State:\s+Z/m.test(status) ? 'zombie' : 'running';
}
