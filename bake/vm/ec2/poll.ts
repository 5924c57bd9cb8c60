import { BakeError, ExitCode } from '../../common/errors';
import { sleep } from '../../common/sleep';

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
}

/**
 * Asks `probe` until it returns a value, at most until the deadline: EC2 changes state on its
 * own time, and every wait of the driver is bounded. Aborting ends the wait at once.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new BakeError(`interrupted while waiting for ${what}`, ExitCode.Interrupted);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline)
      throw new BakeError(`${what}: not within ${Math.round(options.timeoutMs / 1000)} s`, ExitCode.Unavailable);
    await sleep(Math.min(options.intervalMs, Math.max(0, deadline - Date.now())), options.signal);
  }
}
