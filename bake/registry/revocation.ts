import { BakeError, ExitCode } from '../common/errors';
import type { ImageKind } from '../recipe/types';
import { byVettedAt } from './catalog-entry';
import type { ImageIdentity } from './catalog-match';
import type { CatalogAmi, CatalogImage, Revocation, TargetCatalog } from './types';

const imageWhere = (i: CatalogImage): string => `${i.repository}:${i.tag}`;

/** A reason is one line a person wrote: it goes into the catalog, AMI tags and the status page. */
const REASON_MAX = 400;

export function parseReason(reason: string): string {
  const text = reason.trim();
  // eslint-disable-next-line no-control-regex -- a reason travels in tags and HTML: no control characters
  if (!text || /[\u0000-\u001f\u007f]/.test(text) || text.length > REASON_MAX)
    throw new BakeError(
      `--reason: one line of 1 to ${REASON_MAX} characters without control characters`,
      ExitCode.Usage,
    );
  return text;
}

/** What one revoke (or unrevoke) names, per target document. */
export interface RevocationSelection {
  /** target → image ids (with kind) and AMI ids. */
  images: { target: string; imageId: string; kind: ImageKind; inputsDigest: string }[];
  amis: { target: string; amiId: string }[];
}

/**
 * What `ref` names: a digest (an image's id or registry digest), an AMI id, `repository:tag`, or
 * a target. A target names its newest vetted image of each kind (or of `kind`) that is not
 * revoked yet, and the AMIs baked from the same inputs; to unrevoke, its newest revoked ones.
 */
export function selectRevocation(
  docs: TargetCatalog[],
  ref: string,
  options: { kind?: ImageKind; revoked: boolean },
): RevocationSelection {
  const images = docs.flatMap((d) => d.images);
  const amis = docs.flatMap((d) => d.amis ?? []);
  const inState = (r: { revoked?: Revocation }) => !!r.revoked === options.revoked;
  const pick = (list: CatalogImage[]) =>
    list.map(({ target, imageId, kind, inputsDigest }) => ({ target, imageId, kind, inputsDigest }));
  if (/^ami-[0-9a-f]+$/.test(ref)) {
    const found = amis.filter((a) => a.amiId === ref || a.copies.some((c) => c.amiId === ref));
    return { images: [], amis: found.map((a) => ({ target: a.target, amiId: a.amiId })) };
  }
  if (ref.startsWith('sha256:'))
    return { images: pick(images.filter((i) => i.imageId === ref || i.manifestDigest === ref)), amis: [] };
  const byTag = images.filter((i) => imageWhere(i) === ref);
  if (byTag.length) return { images: pick(byTag), amis: [] };
  const ofTarget = images.filter((i) => i.target === ref && (!options.kind || i.kind === options.kind));
  const newest = [...new Set(ofTarget.map((i) => i.kind))].flatMap((kind) => {
    const last = ofTarget
      .filter((i) => i.kind === kind && inState(i))
      .sort(byVettedAt)
      .pop();
    return last ? [last] : [];
  });
  const inputs = new Set(newest.map((i) => i.inputsDigest));
  const sameBake = options.kind ? [] : amis.filter((a) => a.target === ref && inputs.has(a.inputsDigest) && inState(a));
  return { images: pick(newest), amis: sameBake.map((a) => ({ target: a.target, amiId: a.amiId })) };
}

/** The document with the selection revoked (`revocation`) or reinstated (undefined). A first revocation stays. */
export function applyRevocation(
  doc: TargetCatalog,
  selection: RevocationSelection,
  revocation: Revocation | undefined,
): TargetCatalog {
  const hitImage = (i: CatalogImage) =>
    selection.images.some((s) => s.target === doc.target && s.imageId === i.imageId && s.kind === i.kind);
  const hitAmi = (a: CatalogAmi) => selection.amis.some((s) => s.target === doc.target && s.amiId === a.amiId);
  const set = <T extends { revoked?: unknown }>(record: T): T => {
    if (!revocation) {
      const { revoked: _gone, ...rest } = record;
      return rest as T;
    }
    return record.revoked ? record : { ...record, revoked: revocation };
  };
  return {
    ...doc,
    images: doc.images.map((i) => (hitImage(i) ? set(i) : i)),
    ...(doc.amis ? { amis: doc.amis.map((a) => (hitAmi(a) ? set(a) : a)) } : {}),
  };
}

/** How a revocation reads in one line: the reason, who and when. */
export function describeRevocation(r: Revocation): string {
  return `revoked by ${r.by} at ${r.at}: ${r.reason}`;
}

/** The catalog's revocation of an image, if any record of it (by id or registry digest) is revoked. */
export function revocationOf(
  images: CatalogImage[],
  image: Pick<ImageIdentity, 'id' | 'repoDigests'>,
): CatalogImage | undefined {
  const digests = image.repoDigests.map((d) => d.slice(d.indexOf('@') + 1));
  return images.find(
    (i) => i.revoked && (i.imageId === image.id || (!!i.manifestDigest && digests.includes(i.manifestDigest))),
  );
}

/** Refuses a revoked image, with the reason (exit 4: it is not to be trusted). */
export function assertNotRevoked(image: CatalogImage, what = `${imageWhere(image)}`, location?: string): void {
  if (image.revoked)
    throw new BakeError(
      `${what} (${image.manifestDigest ?? image.imageId}) is ${describeRevocation(image.revoked)}` +
        (location ? ` (catalog ${location})` : ''),
      ExitCode.Untrusted,
      'bake registry status shows what is vetted instead',
    );
}
