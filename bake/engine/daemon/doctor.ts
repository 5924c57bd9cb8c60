import { existsSync, promises as fs } from 'node:fs';
import { errorMessage } from '../../common/errors';
import type { Arch } from '../../recipe/types';
import { ARCHES } from '../../recipe/vocabulary';
import { binfmtState, hostArch } from '../host/binfmt';
import type { BuildkitCapabilities } from '../types';
import { probeBuildkitCapabilities } from '../build/buildkit-capabilities';
import { buildkitItems } from './doctor-buildkit';
import { connectEngine } from './embedded-engine';
import { findCommand } from '../host/host-tool';
import type { DoctorItem, DoctorReport, EngineInfo, EngineOptions } from '../types';

/** Below this much free space in the engine's data root, a matrix build will likely run out. */
export const LOW_DISK_BYTES = 10 * 1024 ** 3;

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/**
 * What bake needs from this host and its engine, each with the command that fixes it.
 * Connecting follows the given options (the CLI decides whether doctor may start an engine).
 */
export async function doctor(options: EngineOptions): Promise<DoctorReport> {
  const items: DoctorItem[] = [];
  let engine: EngineInfo | undefined;
  let capabilities: BuildkitCapabilities | undefined;
  try {
    const connected = await connectEngine(options);
    engine = await connected.info();
    items.push({
      id: 'engine',
      status: 'ok',
      detail:
        `Docker Engine ${engine.serverVersion} (API ${engine.apiVersion}) at ${engine.endpoint}` +
        (engine.embedded ? ', started by bake' : ''),
    });
    const found = await probeBuildkitCapabilities(connected.docker, { endpoint: engine.endpoint });
    capabilities = found;
    items.push(...buildkitItems(engine, found));
    items.push(await diskItem(engine.dataRoot));
  } catch (err) {
    items.push({
      id: 'engine',
      status: 'missing',
      detail: errorMessage(err).split('\n')[0],
      fix: findCommand('dockerd')
        ? 'sudo dockerd &  # or run bake as root to let it start its own engine'
        : 'sudo apt-get install -y docker.io',
    });
  }
  items.push(
    findCommand('dockerd')
      ? { id: 'dockerd', status: 'ok', detail: `${findCommand('dockerd')} (bake can start an engine of its own)` }
      : {
          id: 'dockerd',
          status: engine ? 'warning' : 'missing',
          detail: 'dockerd is not installed (bake cannot start an engine of its own)',
          fix: 'sudo apt-get install -y docker.io',
        },
  );
  for (const arch of ARCHES) {
    if (arch !== hostArch()) items.push(binfmtItem(arch));
  }
  items.push(
    findCommand('mmdebstrap')
      ? { id: 'mmdebstrap', status: 'ok', detail: 'present (debian bases can be bootstrapped without a registry)' }
      : {
          id: 'mmdebstrap',
          status: 'warning',
          detail: 'missing: debian bases can only be pulled from a registry',
          fix: 'sudo apt-get install -y mmdebstrap',
        },
  );
  return { ok: items.every((item) => item.status !== 'missing'), engine, buildkit: capabilities, items };
}

function binfmtItem(arch: Arch): DoctorItem {
  const state = binfmtState(arch);
  const conf = `/usr/lib/binfmt.d/${state.handler}.conf`;
  if (state.registered)
    return {
      id: `binfmt.${arch}`,
      status: 'ok',
      detail: `${state.handler} registered: ${arch} images build under emulation`,
    };
  if (!state.qemuInstalled) {
    return {
      id: `binfmt.${arch}`,
      status: 'warning',
      detail: `qemu-user-static missing: ${arch} targets cannot be built here`,
      fix: 'sudo apt-get install -y qemu-user-static',
    };
  }
  const mount = state.mounted ? '' : 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; ';
  return {
    id: `binfmt.${arch}`,
    status: 'warning',
    detail: `${state.handler} not registered (bake registers it when run as root)`,
    fix: `sudo sh -c '${mount}cat ${conf} > /proc/sys/fs/binfmt_misc/register'`,
  };
}

async function diskItem(dataRoot: string): Promise<DoctorItem> {
  if (!dataRoot || !existsSync(dataRoot)) {
    return {
      id: 'disk',
      status: 'warning',
      detail: `the engine's data root ${dataRoot || '(unknown)'} is not on this host; free space not checked`,
    };
  }
  const stats = await fs.statfs(dataRoot);
  const free = stats.bavail * stats.bsize;
  if (free < LOW_DISK_BYTES) {
    return {
      id: 'disk',
      status: 'warning',
      detail: `${gib(free)} free in ${dataRoot} (a matrix build needs about ${gib(LOW_DISK_BYTES)})`,
      fix: 'docker system prune  # or free space on that filesystem',
    };
  }
  return { id: 'disk', status: 'ok', detail: `${gib(free)} free in ${dataRoot}` };
}
