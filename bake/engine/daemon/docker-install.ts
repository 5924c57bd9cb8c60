import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { createPrivateApt } from '../../golang/debian/apt-private';
import { renderSuitesFile } from '../../golang/debian/apt-go-suites';
import { findDebianArchiveUri } from '../../golang/debian/apt-sources';
import { aptInstall } from '../host/apt-install';
import { findCommand, hostFacts } from '../host/host-tool';
import type { HostFacts } from '../host/types';

/**
 * Docker Engine 26 (with its CLI and buildx) comes from Debian trixie: bookworm's docker.io
 * is 20.10, out of upstream support since 2023, with a BuildKit that has no SOURCE_DATE_EPOCH.
 * Only these three packages come from trixie; what they depend on (containerd, runc, libc6
 * >= 2.34) is satisfied by the machine's own suite.
 */
export const ENGINE_SUITE = 'trixie';
export const ENGINE_PACKAGES = ['docker.io', 'docker-cli', 'docker-buildx'] as const;

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

/**
 * Downloads the three packages through a private apt configuration (apt checks each .deb
 * against trixie's signed index), then installs those files with the machine's apt, which
 * resolves their dependencies from the machine's own sources: nothing else is upgraded and
 * the machine's apt sources are never changed.
 */
async function installEngineFromTrixie(options: EnsureDockerdOptions): Promise<void> {
  const env = options.env ?? process.env;
  const archiveUri = await findDebianArchiveUri({ env });
  const dir = join(options.stateDir, 'engine-apt');
  const apt = createPrivateApt({
    dir,
    archiveUri,
    logger: options.logger,
    sources: {
      file: 'bake-engine.sources',
      text: renderSuitesFile(archiveUri, [ENGINE_SUITE], 'the suite Docker Engine is installed from'),
      describe: `${ENGINE_SUITE} from ${archiveUri}`,
    },
  });
  const debs = join(dir, 'debs');
  await fs.rm(debs, { recursive: true, force: true });
  await fs.mkdir(debs, { recursive: true });
  options.logger.info(`installing Docker Engine from Debian ${ENGINE_SUITE}: ${ENGINE_PACKAGES.join(', ')}`);
  await apt.download([...ENGINE_PACKAGES], debs);
  const files = (await fs.readdir(debs)).filter((name) => name.endsWith('.deb')).sort();
  if (files.length !== ENGINE_PACKAGES.length)
    throw new BakeError(
      `apt-get download of ${ENGINE_PACKAGES.join(', ')} gave ${files.length} packages`,
      ExitCode.EngineUnavailable,
    );
  await aptInstall(
    files.map((name) => join(debs, name)),
    ExitCode.EngineUnavailable,
  );
  await fs.rm(debs, { recursive: true, force: true });
}
