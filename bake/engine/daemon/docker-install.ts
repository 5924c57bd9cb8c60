import { ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { ensureTool, type HostFacts } from '../host/host-tool';

/** dockerd, installed from Debian's docker.io when missing and allowed. Returns its path. */
export async function ensureDockerd(options: {
  allowInstall: boolean;
  logger: Logger;
  facts?: HostFacts;
}): Promise<string> {
  const path = await ensureTool({
    command: 'dockerd',
    debianPackage: 'docker.io',
    purpose: 'the embedded Docker Engine',
    allowInstall: options.allowInstall,
    logger: options.logger,
    exitCode: ExitCode.EngineUnavailable,
    facts: options.facts,
  });
  return path!;
}
