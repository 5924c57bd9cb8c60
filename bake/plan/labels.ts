import type { PlanCore } from './types';

/**
 * The labels every image of a target carries. Nothing of the build's moment goes here: the
 * labels are part of the plan and its inputs digest, and the same plan gives the same image.
 * The Go archive's origin is left out because a mirror URL may carry credentials.
 */
export function imageLabels(core: Omit<PlanCore, 'labels'>): Record<string, string> {
  const { target, go, base } = core;
  return {
    // SOURCE_DATE_EPOCH, as the config's own creation time: the release, never the build's clock.
    'org.opencontainers.image.created': new Date(core.sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z'),
    'org.opencontainers.image.title': `${target.recipe}-go`,
    'org.opencontainers.image.description':
      `Go ${go.version} on ${target.distro} ${target.version} (${target.arch}), ` + 'built and checked by bake',
    'org.opencontainers.image.vendor': 'bake',
    'org.opencontainers.image.version': go.version,
    'org.opencontainers.image.base.name': base.ref.split('@')[0],
    'org.opencontainers.image.base.digest': base.digest,
    'io.bake.recipe': target.recipe,
    'io.bake.target': target.name,
    'io.bake.go.version': go.version,
    'io.bake.go.sha256': go.sha256,
    'io.bake.go.source': go.source,
    'io.bake.go.filename': go.filename,
  };
}
