import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { runCommand } from '../../common/run-command';
import { ENGINE_SUITE, trixieAptDir } from '../daemon/docker-install';
import { findCommand, hostFacts } from './host-tool';
import type { HostFacts } from './types';
import { installFromSuite } from './suite-install';

export interface EnsureCosignOptions {
  allowInstall: boolean;
  logger: Logger;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  facts?: HostFacts;
}

/** The oldest cosign whose flags bake uses (`--tlog-upload`, `--insecure-ignore-tlog`). */
const MINIMUM = [2, 2];

/**
 * cosign's path; when it is missing (and bake may), cosign 2.5 is installed from Debian
 * trixie as Docker Engine is: bookworm has no cosign, and trixie's needs only libc6 >= 2.34.
 */
export async function ensureCosign(options: EnsureCosignOptions): Promise<string> {
  const found = findCommand('cosign', options.env);
  if (found) return checkVersion(found);
  const facts = options.facts ?? hostFacts();
  const what = 'signing and verifying images needs cosign, which is not installed';
  if (!facts.debianFamily) throw new BakeError(`${what}; install cosign 2.2 or later`, ExitCode.Unavailable);
  if (!facts.isRoot || !options.allowInstall)
    throw new BakeError(
      `${what}; run bake as root to let it install cosign from Debian ${ENGINE_SUITE}, or install cosign yourself`,
      ExitCode.Unavailable,
    );
  await installFromSuite({
    suite: ENGINE_SUITE,
    packages: ['cosign'],
    dir: trixieAptDir(options.stateDir),
    sourcesFile: 'bake-engine.sources',
    purpose: 'the suite Docker Engine and cosign are installed from',
    logger: options.logger,
    exitCode: ExitCode.Unavailable,
    env: options.env,
  });
  const installed = findCommand('cosign', options.env);
  if (!installed) throw new BakeError('cosign was installed but is still missing', ExitCode.Unavailable);
  return checkVersion(installed);
}

/**
 * A release states its version; Debian's build says `devel`, so then the flag bake needs most
 * is looked for in `cosign sign --help` instead.
 */
async function checkVersion(path: string): Promise<string> {
  const result = await runCommand(path, ['version']);
  const m = /GitVersion:\s*v?(\d+)\.(\d+)/.exec(`${result.stdout}\n${result.stderr}`);
  if (m) {
    const [major, minor] = [Number(m[1]), Number(m[2])];
    if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return path;
    throw new BakeError(
      `${path} is cosign ${major}.${minor}; bake needs ${MINIMUM.join('.')} or later`,
      ExitCode.Unavailable,
    );
  }
  const help = await runCommand(path, ['sign', '--help']);
  if (help.stdout.includes('--tlog-upload')) return path;
  throw new BakeError(`${path} does not look like cosign 2.2 or later (no sign --tlog-upload)`, ExitCode.Unavailable);
}
