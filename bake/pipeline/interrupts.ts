import { BakeError, ExitCode } from '../common/errors';
import type { Logger } from '../common/log';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The first SIGINT or SIGTERM aborts `controller` (builds cancel, check containers are
 * removed, nothing more is tagged) and lets the run wind down; a second one exits at once.
 * Returns a function that removes the handlers.
 */
export function abortOnSignals(controller: AbortController, logger: Logger): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      logger.warn(`${signal} again: exiting without cleaning up`);
      process.exit(130);
    }
    logger.warn(
      `${signal}: cancelling the run: builds, checks and builders stop, nothing more is tagged ` +
        '(send it again to exit at once)',
    );
    controller.abort();
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

export interface InterruptOptions {
  logger: Logger;
  /**
   * What a run leaves behind (check containers): removed as soon as the run is interrupted,
   * so a check blocked in a long exec ends, and again once the run is over, however it ended.
   */
  cleanup?: () => Promise<unknown>;
}

/** Runs `work` with an AbortSignal that SIGINT and SIGTERM fire; the one place runs are made interruptible. */
export async function withInterrupts<T>(
  options: InterruptOptions,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const removeHandlers = abortOnSignals(controller, options.logger);
  const cleanup = async () => options.cleanup?.().catch(() => undefined);
  controller.signal.addEventListener('abort', () => void cleanup(), { once: true });
  try {
    return await work(controller.signal);
  } finally {
    removeHandlers();
    await cleanup();
  }
}

/** For runs that stop short when interrupted: the error they end with. */
export function throwIfInterrupted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new BakeError(`${what} interrupted`, ExitCode.Interrupted);
}
