import { apiAtLeast } from '../engine-api';
import type { BuildkitCapabilities } from '../types';
import type { DoctorItem, EngineInfo } from '../types';

/** BuildKit takes SOURCE_DATE_EPOCH from v0.11 on, first in Docker Engine 23.0 (API 1.42). */
export const SOURCE_DATE_EPOCH_API = '1.42';

const DAEMON_JSON = '{ "features": { "containerd-snapshotter": true } }';

/**
 * What the engine's BuildKit, the docker CLI's buildx and the image store each enable, as
 * doctor items: missing only when plain builds cannot run, a warning for each feature lost.
 */
export function buildkitItems(engine: EngineInfo, capabilities: BuildkitCapabilities): DoctorItem[] {
  if (!engine.buildkit)
    return [
      {
        id: 'buildkit',
        status: 'missing',
        detail: `the engine (API ${engine.apiVersion}) cannot build with BuildKit`,
        fix: 'let bake start its own engine (it installs Docker Engine 26 from Debian trixie), or upgrade this one',
      },
    ];
  const version = capabilities.buildkitVersion
    ? `BuildKit v${capabilities.buildkitVersion}`
    : `the BuildKit of Docker Engine ${engine.serverVersion} (its version is not reported)`;
  const items: DoctorItem[] = [
    apiAtLeast(engine.apiVersion, SOURCE_DATE_EPOCH_API)
      ? {
          id: 'buildkit',
          status: 'ok',
          detail: `${version}: builds on ${engine.os}/${engine.arch}, SOURCE_DATE_EPOCH (reproducible image digests)`,
        }
      : {
          id: 'buildkit',
          status: 'warning',
          detail:
            `${version} builds, but ignores SOURCE_DATE_EPOCH (Docker Engine 23 or later has it): ` +
            'the same plan gives a new image digest on every build',
          fix: 'let bake start its own engine (Docker Engine 26 from Debian trixie), or upgrade this one',
        },
    capabilities.buildx !== true && capabilities.containerdStore
      ? {
          id: 'buildx',
          status: 'missing',
          detail: `${capabilities.buildx}: on the containerd image store bake builds only through docker buildx`,
          fix: 'sudo apt-get install -y docker-buildx',
        }
      : capabilities.buildx === true
        ? {
            id: 'buildx',
            status: 'ok',
            detail:
              `docker buildx ${capabilities.buildxVersion ?? '(version not reported)'}: ` +
              '--cache-to, --cache-from and --provenance, where the image store allows',
          }
        : {
            id: 'buildx',
            status: 'warning',
            detail:
              `${capabilities.buildx}: builds use the engine's API alone; ` +
              '--cache-to, --cache-from and --provenance are refused',
            fix: 'sudo apt-get install -y docker-buildx',
          },
    capabilities.containerdStore
      ? {
          id: 'image-store',
          status: 'ok',
          detail:
            'containerd image store: registry build cache, provenance attestations, multi-platform images ' +
            '(every build runs through docker buildx)',
        }
      : {
          id: 'image-store',
          status: 'warning',
          detail:
            'classic image store: BuildKit refuses cache export, attestations and multi-platform images there ' +
            '(--cache-to, --cache-from and --provenance are refused)',
          fix:
            `add ${DAEMON_JSON} to the daemon's daemon.json and restart dockerd ` +
            '(images in the classic store stay there)',
        },
  ];
  return items;
}
