import { BakeError, ExitCode } from '../common/errors';
import { catalogRecords, imageWhere, matchesImage } from './catalog-records';
import type { RegistryClient } from './registry-client';
import { assertNotRevoked } from './revocation';
import type { CatalogImage, CatalogStore } from './types';

/**
 * `bake registry verify`: the catalog's record of an image, refused (exit 4, with the reason)
 * when it is revoked, when the catalog has no such vetted image, or when the registry no longer
 * holds the manifest the catalog names. Signatures and attestations are checked where signing
 * records them.
 */
export async function verifyCatalogImage(
  catalog: CatalogStore,
  ref: string,
  kind: string,
  client?: RegistryClient,
): Promise<CatalogImage> {
  const all = (await catalogRecords(catalog)).images;
  const named = all.filter((i) => matchesImage(i, ref, kind as CatalogImage['kind']));
  // A target names its newest image that is not revoked; a digest or tag names exactly one.
  const image =
    named.length > 1 && !ref.includes(':') ? (named.filter((i) => !i.revoked).pop() ?? named.pop()) : named.pop();
  if (!image) throw new BakeError(`"${ref}" is not a vetted image in ${catalog.location}`, ExitCode.Untrusted);
  assertNotRevoked(image);
  if (client && image.manifestDigest) {
    const repository = image.repository.slice(client.host.length + 1);
    if (!(await client.headManifest(repository, image.manifestDigest)))
      throw new BakeError(
        `${imageWhere(image)} (${image.manifestDigest}) is in the catalog but not in the registry`,
        ExitCode.Untrusted,
      );
  }
  return image;
}
