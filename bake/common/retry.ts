import { backOff } from 'exponential-backoff';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait after the first failure; each later wait doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs?: number;
  /** Whether a failure is worth another attempt (default: every failure is). */
  retriable?: (err: unknown) => boolean;
  /** Told before each wait, so a caller can say why it waits. */
  onRetry?: (err: unknown, next: { attempt: number; delayMs: number }) => void;
  /** Once aborted, no further attempt: the failure at hand is thrown. */
  signal?: AbortSignal;
}

/**
 * Runs `fn` until it succeeds, a failure is not retriable, or the attempts are used up
 * (then its last failure is thrown).
 */
export function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const maxDelay = options.maxDelayMs ?? Infinity;
  return backOff(fn, {
    numOfAttempts: options.attempts,
    startingDelay: options.firstDelayMs,
    timeMultiple: 2,
    maxDelay,
    jitter: 'none',
    delayFirstAttempt: false,
    retry: (err: unknown, failures: number) => {
      if (failures >= options.attempts || options.signal?.aborted || !(options.retriable?.(err) ?? true)) return false;
      // The same delay exponential-backoff waits before attempt `failures + 1`.
      options.onRetry?.(err, {
        attempt: failures + 1,
        delayMs: Math.min(maxDelay, options.firstDelayMs * 2 ** (failures - 1)),
      });
      return true;
    },
  });
}
