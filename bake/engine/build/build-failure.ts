import { BakeError, ExitCode } from '../../common/errors';
import type { FailedStep } from './types';

/**
 * A build the engine rejected: the first line names the build and the failing step; the
 * step's last output lines follow, indented, because they are what explains the failure.
 */
export class BuildFailedError extends BakeError {
  constructor(
    readonly label: string,
    readonly step: string | undefined,
    readonly output: string[],
    readonly engineMessage: string,
  ) {
    super(formatMessage(label, step, output, engineMessage), ExitCode.Failure);
    this.name = 'BuildFailedError';
  }
}

export function buildFailure(label: string, engineMessage: string, failed: FailedStep | undefined): BuildFailedError {
  const step = failed ? `#${failed.step} ${failed.name}` : undefined;
  return new BuildFailedError(label, step, failed?.tail ?? [], engineMessage);
}

function formatMessage(label: string, step: string | undefined, output: string[], engineMessage: string): string {
  const reason = oneLine(engineMessage);
  const head = step ? `build of ${label} failed at step ${step}: ${reason}` : `build of ${label} failed: ${reason}`;
  if (output.length === 0) return head;
  return [head, `last ${output.length} line(s) of its output:`, ...output.map((line) => `  > ${line}`)].join('\n');
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}...` : line;
}
