import { existsSync, promises as fs } from 'node:fs';
import { arch as nodeArch } from 'node:os';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Arch } from '../../recipe/types';
import { ensureTool, hostFacts } from './host-tool';
import type { BinfmtState, HostFacts } from './types';
import { runCommand } from '../../common/run-command';
import { hostArch } from '../../plan/host-arch';

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/** Go architecture names to QEMU's (the binfmt handler is named after the latter). */
const QEMU_NAMES: Record<Arch, string> = { amd64: 'x86_64', arm64: 'aarch64' };

export { hostArch };

export function binfmtState(arch: Arch, paths = { binfmtDir: BINFMT_DIR, confDir: '/usr/lib/binfmt.d' }): BinfmtState {
  const handler = `qemu-${QEMU_NAMES[arch]}`;
  return {
    needed: hostArch() !== arch,
    handler,
    mounted: existsSync(`${paths.binfmtDir}/register`),
    registered: existsSync(`${paths.binfmtDir}/${handler}`),
    qemuInstalled: existsSync(`${paths.confDir}/${handler}.conf`),
  };
}

/**
 * Lets this host run (and so build) images of `arch` through qemu-user-static's binfmt
 * handler: installs the package if allowed, mounts binfmt_misc, registers the handler from
 * the package's own configuration. Idempotent; nothing to do for the host's own arch.
 */
export async function ensureBinfmt(
  arch: Arch,
  logger: Logger,
  options: { allowInstall?: boolean; facts?: HostFacts } = {},
): Promise<void> {
  const state = binfmtState(arch);
  if (!state.needed || state.registered) return;
  const facts = options.facts ?? hostFacts();
  const conf = `/usr/lib/binfmt.d/${state.handler}.conf`;
  await ensureTool({
    command: conf,
    debianPackage: 'qemu-user-static',
    purpose: `building ${arch} images on this ${hostArch() ?? nodeArch()} host`,
    allowInstall: options.allowInstall !== false,
    logger,
    facts,
    present: () => existsSync(conf),
  });
  // Installing the package may itself have registered the handler (binfmt-support, systemd).
  if (binfmtState(arch).registered) return;
  if (!facts.isRoot) {
    throw new BakeError(
      `${arch} emulation is not registered with the kernel and only root can register it`,
      ExitCode.Unavailable,
      `run: sudo sh -c 'cat ${conf} > ${BINFMT_DIR}/register'`,
    );
  }
  if (!binfmtState(arch).mounted) {
    const mount = await runCommand('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR]);
    if (mount.code !== 0 && !binfmtState(arch).mounted) {
      throw new BakeError(
        `cannot mount binfmt_misc at ${BINFMT_DIR}: ${mount.stderr.trim() || `exit ${mount.code}`}`,
        ExitCode.Unavailable,
      );
    }
  }
  const line = (await fs.readFile(conf, 'utf8')).split('\n').find((l) => l.startsWith(':'));
  if (!line) throw new BakeError(`${conf} holds no binfmt registration line`, ExitCode.Unavailable);
  try {
    await fs.writeFile(`${BINFMT_DIR}/register`, line);
  } catch (err) {
    // Another process registering at the same moment makes the kernel answer EEXIST.
    if (!binfmtState(arch).registered) {
      throw new BakeError(
        `cannot register ${state.handler} with binfmt_misc: ${errorMessage(err)}`,
        ExitCode.Unavailable,
      );
    }
  }
  logger.info(`registered ${state.handler} (qemu-user-static) with binfmt_misc for ${arch} builds`);
}
