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
    logger.warn(`${signal}: cancelling the run: builds, checks and builders stop, nothing more is tagged (send it again to exit at once)`);
    controller.abort();
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
