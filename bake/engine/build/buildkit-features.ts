import { BakeError, ExitCode } from '../../common/errors';
import type { BuildkitCapabilities, BuildkitFeatures } from '../types';

/**
 * The features of a request that only `docker buildx` on a containerd image store can give,
 * as the user would name them. `provenance: 'auto'` is not one: it is dropped where unsupported.
 */
export function requiredFeatures(features: BuildkitFeatures | undefined): string[] {
  if (!features) return [];
  const names: string[] = [];
  if (features.cacheTo) names.push('a registry cache export (--cache-to)');
  if (features.cacheFrom?.length) names.push('a registry cache import (--cache-from)');
  if (features.provenance === true) names.push('a provenance attestation (--provenance)');
  if ((features.platforms?.length ?? 0) > 1) names.push('a multi-platform image');
  return names;
}

/**
 * The features this build will really use: all it requires, else a clear error naming what to
 * enable; never a silent fallback that drops a feature the user asked for. Undefined means the
 * plain dockerode path is enough.
 */
export function effectiveFeatures(
  features: BuildkitFeatures | undefined,
  capabilities: BuildkitCapabilities,
  endpoint: string,
): BuildkitFeatures | undefined {
  if (!features) return undefined;
  const required = requiredFeatures(features);
  const supported = capabilities.containerdStore && capabilities.buildx === true;
  if (required.length > 0 && !supported) {
    if (!capabilities.containerdStore)
      throw new BakeError(
        `${required.join(', ')} needs the engine at ${endpoint} to use the containerd image store; ` +
          'it uses the classic one, where BuildKit refuses cache export, attestations and multi-platform images',
        ExitCode.EngineUnavailable,
        'enable it in the daemon\'s daemon.json: { "features": { "containerd-snapshotter": true } } ' +
          '(images in the classic store are not visible in the new one; restart dockerd)',
      );
    throw new BakeError(
      `${required.join(', ')} needs docker buildx: ${capabilities.buildx}`,
      ExitCode.EngineUnavailable,
      'install the docker-buildx package (the Docker CLI plugin)',
    );
  }
  const provenance = features.provenance === 'auto' ? supported : features.provenance === true;
  const used: BuildkitFeatures = {
    ...(features.cacheTo ? { cacheTo: features.cacheTo } : {}),
    ...(features.cacheFrom?.length ? { cacheFrom: features.cacheFrom } : {}),
    ...(provenance ? { provenance: true } : {}),
    ...((features.platforms?.length ?? 0) > 1 ? { platforms: features.platforms } : {}),
  };
  return Object.keys(used).length > 0 ? used : undefined;
}

/** From `docker info`'s DriverStatus pairs. */
export function hasContainerdStore(driverStatus: unknown): boolean {
  return (
    Array.isArray(driverStatus) &&
    driverStatus.some((pair) => Array.isArray(pair) && pair[0] === 'driver-type' && /containerd/.test(String(pair[1])))
  );
}

/**
 * Which client runs a build. buildx for the features only it carries (secrets among them), and for every build on a
 * containerd image store: there Docker 26's build API cannot read an uploaded context (BuildKit
 * looks up `http://build-context-<id>` as a host name and fails), while buildx's session works.
 */
export function buildPath(
  features: BuildkitFeatures | undefined,
  capabilities: BuildkitCapabilities,
  endpoint: string,
  secrets = false,
): 'buildx' | 'api' {
  if (features) return 'buildx';
  // Secrets travel over a BuildKit session, which the HTTP build API does not open; buildx
  // does, with the docker driver on either image store.
  if (secrets) {
    if (capabilities.buildx === true) return 'buildx';
    throw new BakeError(
      `a build with secrets (--secret) needs docker buildx, which opens a BuildKit session: ${capabilities.buildx}`,
      ExitCode.EngineUnavailable,
      'install the docker-buildx package (the Docker CLI plugin)',
    );
  }
  if (!capabilities.containerdStore) return 'api';
  if (capabilities.buildx === true) return 'buildx';
  throw new BakeError(
    `the engine at ${endpoint} uses the containerd image store, where its build API cannot read an uploaded ` +
      `build context; bake builds there through docker buildx: ${capabilities.buildx}`,
    ExitCode.EngineUnavailable,
    'install the docker-buildx package (the Docker CLI plugin)',
  );
}
