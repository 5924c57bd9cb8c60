import type { CustomCheck } from '../../recipe/types';
import { execOutput, outcome } from '../evidence';
import type { CheckOutcome, Driver } from '../types';
import { execBounded, timedOutOutcome } from './bounded-exec';
import { describeMatch, textProblems } from './text-match';

export type CommandCheckSpec = Extract<CustomCheck, { kind: 'command' }>;

/** `kind: command`: the exit code, and stdout and stderr against their matchers. */
export async function runCommandCheck(driver: Driver, spec: CommandCheckSpec): Promise<CheckOutcome> {
  const exitCode = spec.exitCode ?? 0;
  const expected = [
    `exit ${exitCode}`,
    ...(spec.stdout ? [describeMatch(spec.stdout, 'stdout')] : []),
    ...(spec.stderr ? [describeMatch(spec.stderr, 'stderr')] : []),
  ].join('; ');
  const run = await execBounded(driver, spec);
  if (run.timedOut) return timedOutOutcome(run, expected);
  const { result } = run;
  const problems = [
    ...(result.exitCode !== exitCode ? [`exit ${result.exitCode}, expected ${exitCode}`] : []),
    ...(spec.stdout ? textProblems(result.stdout, spec.stdout, 'stdout') : []),
    ...(spec.stderr ? textProblems(result.stderr, spec.stderr, 'stderr') : []),
  ];
  return outcome(problems, [{ command: run.command, output: execOutput(result), expected }], expected);
}
