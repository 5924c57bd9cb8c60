import { byVettedAt } from './catalog-entry';
import { movingTagsOf } from './moving-indexes';
import type { PublishTarget } from './publish-run';
import type { CatalogAmi, CatalogImage, CatalogStore } from './types';
import { BakeError, ExitCode } from '../common/errors';
import { assertNotRevoked } from './revocation';
import type { ImageKind } from '../recipe/types';

/** Every record of a catalog: images oldest vetted first, AMIs oldest created first. */
export async function catalogRecords(catalog: CatalogStore): Promise<{ images: CatalogImage[]; amis: CatalogAmi[] }> {
  const docs = await Promise.all((await catalog.targets()).map((t) => catalog.read(t)));
  return {
    images: docs.flatMap((d) => d?.images ?? []).sort(byVettedAt),
    amis: docs.flatMap((d) => d?.amis ?? []).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** Where a vetted image is: its immutable tag. */
export const imageWhere = (i: CatalogImage): string => `${i.repository}:${i.tag}`;

/** A catalog image named by a target (with its kind), repository:tag, a tag, or a digest. */
export function matchesImage(image: CatalogImage, ref: string, kind: ImageKind): boolean {
  if (ref.startsWith('sha256:')) return image.manifestDigest === ref || image.imageId === ref;
  if (image.target === ref) return image.kind === kind;
  return imageWhere(image) === ref || image.tag === ref;
}

export interface PinQuery {
  /** A target (that architecture) or, with a registry, a recipe (the multi-arch index). */
  name: string;
  kind: ImageKind;
  /** A Go line or version; default: the newest vetted. */
  go?: string;
}

/** The FROM line a team pastes into its Dockerfile, with a comment that says what it pins. */
export async function pinReference(
  catalog: CatalogStore,
  query: PinQuery,
  remote?: PublishTarget,
): Promise<{ comment: string; from: string }> {
  const { name, kind, go } = query;
  const all = (await catalogRecords(catalog)).images;
  if (name.startsWith('sha256:')) return pinDigest(all, name, catalog.location);
  const images = all.filter(
    (i) => (i.target === name || i.recipe === name) && i.kind === kind && (!go || movingTagsOf(i).includes(go)),
  );
  // A revoked image is never pinned: the newest one that is not, or a refusal that says why.
  const newest = images.filter((i) => !i.revoked).pop();
  const revoked = images.pop();
  if (!newest && revoked) assertNotRevoked(revoked, `the newest vetted ${kind} image of ${name}`);
  if (!newest)
    throw new BakeError(
      `no vetted ${kind} image of ${name}${go ? ` for Go ${go}` : ''} in ${catalog.location}`,
      ExitCode.Usage,
    );
  if (newest.recipe === name && newest.target !== name && remote) {
    const tag = go ?? movingTagsOf(newest)[0];
    const index = await remote.client.headManifest(newest.repository.slice(remote.location.host.length + 1), tag);
    if (!index) throw new BakeError(`${newest.repository}:${tag} is not in the registry`, ExitCode.Unavailable);
    return {
      comment: `${name} ${kind}, Go ${tag}, all architectures (vetted ${newest.vettedAt})`,
      from: `${newest.repository}@${index.digest}`,
    };
  }
  if (newest.target !== name)
    throw new BakeError(
      `"${name}" is a recipe; name a target (${name}-amd64) or pass --registry for the multi-arch index`,
      ExitCode.Usage,
    );
  // A local image has no registry digest: the immutable tag is the pin on this machine.
  if (!newest.manifestDigest)
    return {
      comment: `${name} ${kind}, Go ${newest.goVersion}, on this machine only (not pushed)`,
      from: imageWhere(newest),
    };
  return {
    comment: `${name} ${kind}, Go ${newest.goVersion} (vetted ${newest.vettedAt})`,
    from: `${newest.repository}@${newest.manifestDigest}`,
  };
}

/** A pin of one image named by its digest: only while it is vetted and not revoked. */
function pinDigest(images: CatalogImage[], digest: string, location: string): { comment: string; from: string } {
  const image = images.filter((i) => i.manifestDigest === digest || i.imageId === digest).pop();
  if (!image) throw new BakeError(`no vetted image has the digest ${digest} in ${location}`, ExitCode.Usage);
  assertNotRevoked(image);
  return {
    comment: `${image.target} ${image.kind}, Go ${image.goVersion} (vetted ${image.vettedAt})`,
    from: image.manifestDigest ? `${image.repository}@${image.manifestDigest}` : imageWhere(image),
  };
}
