import { errorMessage, ExitCode, exitCodeOf } from '../common/errors';
import type { TargetResult } from './types';

/**
 * What a target that could not be baked reports: interrupted, unavailable (its base or Go
 * cannot be had here, which CI tells apart from broken) or failed, with the error's code.
 */
export function targetFailure(
  err: unknown,
  signal?: AbortSignal,
): Required<Pick<TargetResult, 'status' | 'message' | 'exitCode'>> {
  const exitCode = exitCodeOf(err, { signal });
  const status =
    exitCode === ExitCode.Interrupted ? 'interrupted' : exitCode === ExitCode.Unavailable ? 'unavailable' : 'failed';
  // In the order results have always carried them: JSON output keeps its shape.
  return { status, message: errorMessage(err), exitCode };
}
