import { BakeError } from '../../common/errors';
import { lastLines, OUTPUT_TAIL, runCommand } from '../../common/run-command';
import type { CommandResult } from '../../common/types';
import { aptEnv } from '../../golang/debian/apt-command';

/** Another apt run (unattended-upgrades, a parallel bake) holds dpkg's lock for a while. */
const LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=300'];

/**
 * `apt-get install -y PACKAGES`; when the package lists are missing or stale (a fresh
 * machine or container), `apt-get update` once and try again.
 */
export async function aptInstall(packages: string[], exitCode: number): Promise<void> {
  const install = () =>
    runCommand('apt-get', [...LOCK_WAIT, 'install', '-y', ...packages], { env: aptEnv(), keepTail: OUTPUT_TAIL });
  let result = await install();
  if (result.code !== 0 && needsUpdate(result)) {
    const update = await runCommand('apt-get', [...LOCK_WAIT, 'update'], { env: aptEnv(), keepTail: OUTPUT_TAIL });
    if (update.code !== 0) throw failure('apt-get update', update, exitCode);
    result = await install();
  }
  if (result.code !== 0) throw failure(`apt-get install -y ${packages.join(' ')}`, result, exitCode);
}

export function needsUpdate(result: CommandResult): boolean {
  return /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found/i.test(
    result.stderr + result.stdout,
  );
}

function failure(what: string, result: CommandResult, exitCode: number): BakeError {
  const lines = lastLines(`${result.stdout}\n${result.stderr}`, 20);
  const last = lines.find((line) => /^E:/.test(line)) ?? lines[lines.length - 1] ?? `exit code ${result.code}`;
  return new BakeError(`${what} failed: ${last.replace(/^E:\s*/, '')}`, exitCode);
}
