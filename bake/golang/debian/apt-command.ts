import { runCommand } from '../../common/run-command';
import type { CommandResult, CommandRunner } from '../../common/types';

/** apt's messages are parsed and shown to users: kept in English, and apt never asks a question. */
export function aptEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' };
}

/**
 * Runs apt-get, apt-cache or dpkg for the Debian source. All of the output is kept: its
 * callers parse it (package names, `apt-cache show` stanzas).
 */
export const runApt: CommandRunner = (command, args, options = {}) =>
  runCommand(command, args, { ...options, env: aptEnv() });

/** The last meaningful line of a failed command's output, for a one-line error message. */
export function lastErrorLine(result: CommandResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const errors = lines.filter((l) => /^(E|Err):/.test(l));
  return (errors[0] ?? lines[lines.length - 1] ?? `exit code ${result.code}`).replace(/^E:\s*/, '');
}
