import { redact } from './redact';

/**
 * Progress and diagnostics go to stderr so stdout stays clean for --json output.
 * When stderr is not a terminal, or `timestamps` says so (the CLI sets it in CI), every
 * line is timestamped. Every line is
 * redacted here, the one place log lines pass, so no caller has to remember to.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface LoggerOptions {
  debug?: boolean;
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Timestamp lines on a terminal too (CI logs that record a TTY). */
  timestamps?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const stamped = !stream.isTTY || !!options.timestamps;
  const write = (prefix: string, message: string) => {
    const time = stamped ? `${new Date().toISOString()} ` : '';
    stream.write(redact(`${time}${prefix}${message}\n`));
  };
  return {
    info: (m) => !options.quiet && write('', m),
    warn: (m) => write('warning: ', m),
    debug: (m) => options.debug && write('debug: ', m),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
