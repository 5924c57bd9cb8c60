import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits `ms`. An abort ends the wait at once and quietly: the caller checks its signal and
 * says, in its own words, what was interrupted.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  }
}
