import type { Logger } from '../common/log';
import type { ImageEngine } from '../engine/types';
import { byVettedAt } from './catalog-entry';
import { movingTagsOf } from './moving-indexes';
import type { CatalogImage } from './types';

/**
 * The per-architecture moving tags on this machine (`bake/debian12-go:1.27-amd64`), pointed at
 * the newest image of each that is vetted, not revoked, and still in the engine under its
 * immutable tag; a moving tag with none left is removed. Only `repositories` are touched.
 * Returns the tags moved or removed.
 */
export async function reconcileLocalMovingTags(
  engine: Pick<ImageEngine, 'inspectImage' | 'tag' | 'removeImage'>,
  images: CatalogImage[],
  repositories: Set<string>,
  logger: Logger,
): Promise<string[]> {
  const changed: string[] = [];
  const local = images.filter((i) => repositories.has(i.repository) && !i.manifestDigest);
  const wanted = new Map<string, CatalogImage[]>();
  for (const image of local)
    for (const tag of movingTagsOf(image)) {
      const ref = `${image.repository}:${tag}-${image.arch}`;
      wanted.set(ref, [...(wanted.get(ref) ?? []), image]);
    }
  for (const [ref, candidates] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    let target: string | undefined;
    for (const image of candidates
      .filter((i) => !i.revoked)
      .sort(byVettedAt)
      .reverse()) {
      target = (await engine.inspectImage(`${image.repository}:${image.tag}`))?.id;
      if (target) break;
    }
    const current = (await engine.inspectImage(ref))?.id;
    if (current === target) continue;
    const at = ref.lastIndexOf(':');
    if (target) await engine.tag(target, ref.slice(0, at), ref.slice(at + 1));
    else await engine.removeImage(ref);
    changed.push(ref);
    logger.info(
      target ? `${ref} now points at ${target.slice(0, 19)}` : `${ref} removed: no vetted image of it is left`,
    );
  }
  return changed;
}
