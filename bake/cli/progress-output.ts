import { createLogger, type Logger } from '../common/log';
import { createProgressView } from '../engine/build/build-progress-view';
import type { ProgressView } from '../engine/build/types';
import type { GlobalOptions } from './global-options';

/** A progress view on stderr and a logger that prints above it rather than through it. */
export function viewAndLogger(globals: GlobalOptions): { view: ProgressView; logger: Logger } {
  const view = createProgressView({ stream: process.stderr });
  const stream = {
    write: (text: string) => (view.print(text), true),
    isTTY: process.stderr.isTTY,
  } as unknown as NodeJS.WritableStream;
  return { view, logger: createLogger({ ...loggerOptions(globals), stream }) };
}

/** The logger of a command without a progress view. */
export function commandLogger(globals: GlobalOptions): Logger {
  return createLogger(loggerOptions(globals));
}

function loggerOptions(globals: GlobalOptions) {
  return { debug: globals.debug, quiet: globals.quiet, timestamps: !!process.env.CI };
}
