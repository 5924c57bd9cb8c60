import type { Logger } from '../common/log';
import { byVettedAt } from './catalog-entry';
import type { RegistryClient } from './registry-client';
import type { CatalogImage } from './types';

const MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

/** The moving tags of a set of vetted images: the Go line (`1.22`) and the release (`1.22.12`). */
export function movingTagsOf(image: Pick<CatalogImage, 'goVersion'>): string[] {
  return [image.goVersion.split('.').slice(0, 2).join('.'), image.goVersion];
}

/**
 * Points every moving tag of one repository at a multi-arch index of the newest vetted image
 * of each architecture for that tag, as recorded in the catalog: so `docker pull
 * REPO:1.22` gets the right one. Revoked images are left out: a tag whose newest image was
 * revoked goes back to the newest one that is not, and a tag left with none is removed. Only
 * images whose manifest is in the registry are used, and an index is written only when it
 * differs from what the tag has, so re-running (after a crash between the catalog write and
 * this step) completes exactly what is missing. Returns the tags it moved or removed.
 */
export async function updateMovingIndexes(
  client: RegistryClient,
  repository: string,
  images: CatalogImage[],
  logger: Logger,
): Promise<string[]> {
  const published = images.filter((i) => i.manifestDigest);
  const eligible = published.filter((i) => !i.revoked);
  const tags = [...new Set(published.flatMap(movingTagsOf))].sort();
  const moved: string[] = [];
  const emptied: string[] = [];
  const kept = new Map<string, string>();
  for (const tag of tags) {
    const newestPerArch = new Map<string, CatalogImage>();
    for (const image of eligible.filter((i) => movingTagsOf(i).includes(tag)).sort(byVettedAt))
      newestPerArch.set(image.arch, image);
    const manifests: IndexEntry[] = [];
    for (const image of [...newestPerArch.values()].sort((a, b) => a.arch.localeCompare(b.arch))) {
      const entries = await entriesOf(client, repository, image);
      if (!entries) {
        logger.warn(
          `${client.host}/${repository}@${image.manifestDigest} is in the catalog but not in the registry; ` +
            `left out of :${tag}`,
        );
        continue;
      }
      manifests.push(...entries);
    }
    if (manifests.length === 0) {
      if (newestPerArch.size === 0) emptied.push(tag);
      continue;
    }
    // A Docker manifest list for the engine's Docker manifests; an OCI index for OCI ones.
    const mediaType = manifests.every((m) => m.mediaType.includes('vnd.oci.')) ? OCI_INDEX : MANIFEST_LIST;
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }));
    const current = await client.getManifest(repository, tag);
    kept.set(
      tag,
      current?.body.equals(body) ? current.digest : await client.putManifest(repository, tag, mediaType, body),
    );
    if (!current?.body.equals(body)) moved.push(tag);
  }
  for (const tag of emptied) if (await removeTag(client, repository, tag, kept, logger)) moved.push(tag);
  if (moved.length) logger.info(`${client.host}/${repository}: moved ${moved.map((t) => `:${t}`).join(', ')}`);
  return moved;
}

/**
 * Removes a moving tag that has no vetted image left. The registry API removes a manifest by
 * digest (every tag on it), so a digest another moving tag still points at stays, with a warning.
 */
async function removeTag(
  client: RegistryClient,
  repository: string,
  tag: string,
  kept: Map<string, string>,
  logger: Logger,
): Promise<boolean> {
  const current = await client.getManifest(repository, tag);
  if (!current) return false;
  const sharing = [...kept].filter(([, digest]) => digest === current.digest).map(([t]) => `:${t}`);
  if (sharing.length) {
    logger.warn(
      `${client.host}/${repository}:${tag} has no vetted image left ` +
        `but shares its index with ${sharing.join(', ')}; kept`,
    );
    return false;
  }
  await client.deleteManifest(repository, current.digest);
  logger.info(`${client.host}/${repository}:${tag} removed: no vetted image of it is left`);
  return true;
}

/**
 * What one vetted image adds to a multi-arch index: its manifest for its architecture; or,
 * where the image itself is an index (a containerd image store pushes its manifest with the
 * attestations BuildKit attached), that index's entries, as buildx writes a multi-platform
 * index, so clients that do not follow nested indexes still find the image and its provenance.
 */
async function entriesOf(
  client: RegistryClient,
  repository: string,
  image: CatalogImage,
): Promise<IndexEntry[] | undefined> {
  const digest = image.manifestDigest!;
  const head = await client.headManifest(repository, digest);
  if (!head) return undefined;
  const platform = { architecture: image.arch, os: 'linux' };
  if (head.mediaType !== OCI_INDEX && head.mediaType !== MANIFEST_LIST)
    return [{ mediaType: head.mediaType, digest, size: head.size, platform }];
  const index = await client.getManifest(repository, digest);
  if (!index) return undefined;
  const { manifests } = JSON.parse(index.body.toString('utf8')) as { manifests: IndexEntry[] };
  return manifests.filter(
    (m) =>
      m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
      (m.platform?.architecture === image.arch && m.platform.os === 'linux'),
  );
}
