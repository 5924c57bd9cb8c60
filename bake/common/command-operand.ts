import { BakeError, ExitCode } from './errors';
import { assertSingleLine } from './dockerfile-quote';

/**
 * For operands of commands whose `--` handling bake cannot rely on everywhere (yum on CentOS 7
 * and dnf on Rocky 9 parse arguments differently): a value that starts with `-` would be read
 * as an option there, so it is refused. No package, Go import path or file name bake passes
 * this way can start with `-`, so the refusal never turns a valid value away.
 */
export function assertOperand(what: string, value: string): string {
  assertSingleLine(what, value);
  if (value === '' || value.startsWith('-')) {
    const why = value === '' ? 'is empty' : 'starts with "-", so a command would take it for an option';
    throw new BakeError(`${what} ${JSON.stringify(value)} ${why}`, ExitCode.InvalidRecipe);
  }
  return value;
}
