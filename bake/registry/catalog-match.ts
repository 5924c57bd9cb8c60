import { BakeError, ExitCode } from '../common/errors';
import { byVettedAt } from './catalog-entry';
import type { CatalogAmi, CatalogImage } from './types';

/** What is known of an image in an engine: how the catalog may know it. */
export interface ImageIdentity {
  /** The engine's image id (the config digest): the catalog's `imageId`. */
  id: string;
  /** `repo@sha256:...` of each registry it was pulled from or pushed to. */
  repoDigests: string[];
  labels: Record<string, string>;
}

/**
 * The catalog record an image came from: the very image (its id or a registry digest), else
 * the vetted image its labels name (a container of an image built FROM a vetted one carries
 * them), else the newest vetted image of `target` and `kind` when the caller names them.
 */
export function catalogImageOf(
  images: CatalogImage[],
  image: ImageIdentity | undefined,
  named?: { target: string; kind: string },
): CatalogImage | undefined {
  const newest = (list: CatalogImage[]) => [...list].sort(byVettedAt).pop();
  if (named)
    return (
      newest(images.filter((i) => i.target === named.target && i.kind === named.kind && !i.revoked && i.baseline)) ??
      newest(images.filter((i) => i.target === named.target && i.kind === named.kind))
    );
  if (!image) return undefined;
  const digests = image.repoDigests.map((d) => d.slice(d.indexOf('@') + 1));
  const exact = newest(
    images.filter((i) => i.imageId === image.id || (i.manifestDigest && digests.includes(i.manifestDigest))),
  );
  if (exact) return exact;
  const l = image.labels;
  const target = l['io.bake.target'];
  const kind = l['io.bake.kind'];
  const inputs = l['io.bake.inputs-digest'];
  if (!target || !kind || !inputs) return undefined;
  return newest(images.filter((i) => i.target === target && i.kind === kind && i.inputsDigest === inputs));
}

/** The newest AMI of a target with a recorded baseline (not revoked, unless only revoked ones have one). */
export function catalogAmiOf(amis: CatalogAmi[], target: string): CatalogAmi | undefined {
  const of = amis
    .filter((a) => a.target === target && a.baseline)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return of.filter((a) => !a.revoked).pop() ?? of.pop();
}

/** The one error for "this artifact's baseline is not in the catalog". */
export function noBaseline(what: string, location: string, hint?: string): BakeError {
  return new BakeError(`${what}: no vetted artifact with a baseline in the catalog ${location}`, ExitCode.Usage, hint);
}
