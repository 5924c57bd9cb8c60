import type { BuildkitFeatures } from '../engine/types';
import type { BuildkitRequest } from './types';

/**
 * The BuildKit features of one image's build: each image keeps its build cache under its own
 * tag of the cache repositories (`REPO:<target>-<image>`), so targets and image kinds never
 * overwrite each other's cache, and a second builder of the same target finds it.
 */
export function imageFeatures(
  request: BuildkitRequest | undefined,
  target: string,
  image: string,
): BuildkitFeatures | undefined {
  if (!request) return undefined;
  const tag = `${target}-${image}`;
  const features: BuildkitFeatures = {
    ...(request.cacheTo ? { cacheTo: `${request.cacheTo}:${tag}` } : {}),
    ...(request.cacheFrom?.length ? { cacheFrom: request.cacheFrom.map((repo) => `${repo}:${tag}`) } : {}),
    ...(request.provenance ? { provenance: true } : {}),
  };
  return Object.keys(features).length > 0 ? features : undefined;
}
