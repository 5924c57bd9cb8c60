import { DEFAULT_TIMEOUT_SECONDS } from '../../recipe/custom-check-schema';
import { describeCommand, outcome } from '../evidence';
import type { CheckOutcome, Driver, ExecOptions, ExecResult } from '../types';

/** How a custom check runs a program: argv in exec form, or one line through `sh -c` when written so. */
export interface CommandSpec {
  command: string[] | string;
  shell?: boolean;
  user?: string;
  env?: Record<string, string>;
  timeoutSeconds?: number;
}

export type BoundedResult =
  { timedOut: false; result: ExecResult; command: string } | { timedOut: true; timeoutMs: number; command: string };

/**
 * Runs a check's command through the driver, never through a shell unless `shell: true` was
 * written (so `;`, `$(...)` and quotes in argv stay arguments), and waits at most its timeout.
 * The driver is told the deadline too (ExecOptions.timeoutMs) so one that can end the command
 * does; a command still running is ended at the latest when the check container is removed.
 */
export async function execBounded(driver: Driver, spec: CommandSpec): Promise<BoundedResult> {
  const argv = typeof spec.command === 'string' ? ['sh', '-c', spec.command] : spec.command;
  const timeoutMs = (spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const opts: ExecOptions = {
    ...(spec.user ? { user: spec.user } : {}),
    ...(spec.env && Object.keys(spec.env).length ? { env: spec.env } : {}),
  };
  const command = describeCommand(argv, opts);
  const running = driver.exec(argv, { ...opts, timeoutMs });
  // Left behind at the deadline: its eventual failure (the container removed) is expected.
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), timeoutMs);
  });
  try {
    const first = await Promise.race([running, deadline]);
    return first === 'deadline' ? { timedOut: true, timeoutMs, command } : { timedOut: false, result: first, command };
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of a check whose command outlived its timeout. */
export function timedOutOutcome(run: { timeoutMs: number; command: string }, expected: string): CheckOutcome {
  const seconds = run.timeoutMs / 1000;
  return outcome(
    [`the command did not finish within its timeout of ${seconds} s`],
    [{ command: run.command, output: `no exit status after ${seconds} s`, expected }],
    '',
  );
}
