import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { aptInstall } from './apt-install';
import type { HostFacts } from './types';

/** Daemons and admin tools live in sbin, which a non-root PATH often lacks. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function findCommand(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function hostFacts(): HostFacts {
  return { isRoot: process.getuid?.() === 0, debianFamily: existsSync('/etc/debian_version') };
}

export interface ToolRequest {
  /** The program that must exist (`dockerd`, `mmdebstrap`) or a file the package provides. */
  command: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** What needs it, for messages: "the embedded Docker Engine". */
  purpose: string;
  allowInstall: boolean;
  logger: Logger;
  exitCode?: number;
  facts?: HostFacts;
  /** Presence test for tools that are not a command (binfmt configuration files). */
  present?: () => boolean;
}

/**
 * Makes sure a host tool exists. As root on a Debian-family system bake installs the
 * package itself (and says so); elsewhere it stops with the exact command to run.
 */
export async function ensureTool(request: ToolRequest): Promise<string | undefined> {
  const found = () =>
    request.present ? (request.present() ? request.command : undefined) : findCommand(request.command);
  const existing = found();
  if (existing) return existing;
  const facts = request.facts ?? hostFacts();
  const exitCode = request.exitCode ?? ExitCode.Unavailable;
  const fix = `sudo apt-get install -y ${request.debianPackage}`;
  if (!facts.debianFamily) {
    throw new BakeError(
      `${request.purpose} needs ${request.command}, which is not installed; ` +
        `install the package that provides it (Debian: ${request.debianPackage})`,
      exitCode,
    );
  }
  if (!facts.isRoot || !request.allowInstall) {
    throw new BakeError(`${request.purpose} needs ${request.command}, which is not installed; run: ${fix}`, exitCode);
  }
  request.logger.info(
    `installing ${request.debianPackage} (apt-get install -y ${request.debianPackage}) for ${request.purpose}`,
  );
  await aptInstall([request.debianPackage], exitCode);
  const installed = found();
  if (!installed)
    throw new BakeError(`${request.debianPackage} was installed but ${request.command} is still missing`, exitCode);
  return installed;
}
