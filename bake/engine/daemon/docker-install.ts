import { join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { findCommand, hostFacts } from '../host/host-tool';
import { installFromSuite } from '../host/suite-install';
import type { HostFacts } from '../host/types';

/**
 * Docker Engine 26 (with its CLI and buildx) comes from Debian trixie: bookworm's docker.io
 * is 20.10, out of upstream support since 2023, with a BuildKit that has no SOURCE_DATE_EPOCH.
 * Only these three packages come from trixie; what they depend on (containerd, runc, libc6
 * >= 2.34) is satisfied by the machine's own suite.
 */
export const ENGINE_SUITE = 'trixie';
export const ENGINE_PACKAGES = ['docker.io', 'docker-cli', 'docker-buildx'] as const;

/** The private apt lists of the engine's suite, which other tools from that suite (cosign) share. */
export const trixieAptDir = (stateDir: string): string => join(stateDir, 'engine-apt');

export interface EnsureDockerdOptions {
  allowInstall: boolean;
  logger: Logger;
  /** bake's state directory: the private apt lists for the engine suite live under it. */
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  facts?: HostFacts;
}

/** dockerd's path; when it is missing (and bake may), installs Docker Engine 26 from trixie first. */
export async function ensureDockerd(options: EnsureDockerdOptions): Promise<string> {
  const existing = findCommand('dockerd');
  if (existing) return existing;
  const facts = options.facts ?? hostFacts();
  const what = `the embedded Docker Engine needs dockerd, which is not installed`;
  if (!facts.debianFamily)
    throw new BakeError(`${what}; install Docker Engine 26 or later`, ExitCode.EngineUnavailable);
  if (!facts.isRoot || !options.allowInstall)
    throw new BakeError(
      `${what}; run bake as root to let it install ${ENGINE_PACKAGES.join(', ')} from Debian ${ENGINE_SUITE}, ` +
        'or install Docker Engine yourself and start it',
      ExitCode.EngineUnavailable,
    );
  await installEngineFromTrixie(options);
  const installed = findCommand('dockerd');
  if (!installed)
    throw new BakeError('docker.io was installed but dockerd is still missing', ExitCode.EngineUnavailable);
  return installed;
}

/** The three packages from trixie (see suite-install); their dependencies from the machine's own suite. */
async function installEngineFromTrixie(options: EnsureDockerdOptions): Promise<void> {
  await installFromSuite({
    suite: ENGINE_SUITE,
    packages: ENGINE_PACKAGES,
    dir: trixieAptDir(options.stateDir),
    sourcesFile: 'bake-engine.sources',
    purpose: 'the suite Docker Engine is installed from',
    logger: options.logger,
    exitCode: ExitCode.EngineUnavailable,
    env: options.env,
  });
}
