import { byVettedAt } from './catalog-entry';
import { movingTagsOf } from './moving-indexes';
import type { CatalogImage } from './types';

export interface PrunePolicy {
  /** Newest images kept per target and kind, whatever their age. */
  keep: number;
  /** Only images vetted longer ago than this many days are removed. */
  olderThanDays: number;
  now: Date;
}

export interface PruneDecision {
  remove: CatalogImage[];
  /** Why each kept image stays (for `--dry-run` and the log). */
  kept: { image: CatalogImage; why: string }[];
}

/**
 * Which vetted images retention removes: per target and kind, everything beyond the newest
 * `keep` that is older than the cutoff, except the newest image of each Go line and anything a
 * moving tag points at (`protectedDigests`: manifest digests or image ids). Pure, so the dry
 * run and the real prune decide the same way.
 */
export function planPrune(images: CatalogImage[], policy: PrunePolicy, protectedDigests: Set<string>): PruneDecision {
  const cutoff = policy.now.getTime() - policy.olderThanDays * 86_400_000;
  const groups = new Map<string, CatalogImage[]>();
  for (const image of images) {
    const key = `${image.target}/${image.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), image]);
  }
  const decision: PruneDecision = { remove: [], kept: [] };
  for (const group of groups.values()) {
    const newestFirst = [...group].sort(byVettedAt).reverse();
    const newestOfLine = new Set<CatalogImage>();
    const seenLines = new Set<string>();
    for (const image of newestFirst) {
      const line = movingTagsOf(image)[0];
      if (!seenLines.has(line)) newestOfLine.add(image);
      seenLines.add(line);
    }
    newestFirst.forEach((image, i) => {
      const why =
        i < policy.keep
          ? `one of the newest ${policy.keep}`
          : newestOfLine.has(image)
            ? `newest vetted image of Go ${movingTagsOf(image)[0]}`
            : protectedDigests.has(image.manifestDigest ?? image.imageId) || protectedDigests.has(image.imageId)
              ? 'a moving tag points at it'
              : Date.parse(image.vettedAt) > cutoff
                ? `vetted less than ${policy.olderThanDays} days ago`
                : undefined;
      if (why) decision.kept.push({ image, why });
      else decision.remove.push(image);
    });
  }
  return decision;
}
