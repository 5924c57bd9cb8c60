import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError } from '../../common/errors';
import type { Logger } from '../../common/log';
import { createPrivateApt } from '../../golang/debian/apt-private';
import { renderSuitesFile } from '../../golang/debian/apt-go-suites';
import { findDebianArchiveUri } from '../../golang/debian/apt-sources';
import { aptInstall } from './apt-install';

export interface SuiteInstall {
  /** The Debian suite the packages come from (`trixie`). */
  suite: string;
  packages: readonly string[];
  /** A directory of bake's own for the private apt lists of that suite (shared by every install from it). */
  dir: string;
  /** The sources file's name in it (default `bake-<suite>.sources`). */
  sourcesFile?: string;
  /** What the sources file says the suite is for. */
  purpose: string;
  logger: Logger;
  exitCode: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Installs packages of another Debian suite on this machine without adding that suite to its
 * apt sources: the .debs are fetched through a private apt configuration (apt checks each one
 * against the suite's signed index, itself checked with Debian's keyring), then installed as
 * files with the machine's apt, which takes their dependencies from the machine's own suite.
 * Nothing else is upgraded and the machine's apt sources are never changed.
 */
export async function installFromSuite(request: SuiteInstall): Promise<void> {
  const archiveUri = await findDebianArchiveUri({ env: request.env ?? process.env });
  const apt = createPrivateApt({
    dir: request.dir,
    archiveUri,
    logger: request.logger,
    sources: {
      file: request.sourcesFile ?? `bake-${request.suite}.sources`,
      text: renderSuitesFile(archiveUri, [request.suite], request.purpose),
      describe: `${request.suite} from ${archiveUri}`,
    },
  });
  const debs = join(request.dir, `debs-${request.packages[0]}`);
  await fs.rm(debs, { recursive: true, force: true });
  await fs.mkdir(debs, { recursive: true });
  request.logger.info(`installing from Debian ${request.suite}: ${request.packages.join(', ')}`);
  await apt.download([...request.packages], debs);
  const files = (await fs.readdir(debs)).filter((name) => name.endsWith('.deb')).sort();
  if (files.length !== request.packages.length)
    throw new BakeError(
      `apt-get download of ${request.packages.join(', ')} gave ${files.length} packages`,
      request.exitCode,
    );
  await aptInstall(
    files.map((name) => join(debs, name)),
    request.exitCode,
  );
  await fs.rm(debs, { recursive: true, force: true });
}
