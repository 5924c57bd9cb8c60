import type { Manifest, RegistryClient } from './registry-client';
import { listingDigests } from '../drift/baseline-blobs';
import { parseTargetCatalog } from './parse-catalog';
import type { CatalogStore, TargetCatalog } from './types';

/** Catalog documents and reports are OCI artifacts of these types. */
export const CATALOG_ARTIFACT_TYPE = 'application/vnd.bake.catalog.v1+json';
export const REPORT_MEDIA_TYPE = 'application/vnd.bake.readiness-report.v1+json';
/** The listings of a baseline's trees (paths, modes, owners, content hashes), for drift findings per path. */
export const LISTING_MEDIA_TYPE = 'application/vnd.bake.tree-listing.v1+text';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** The tags cosign writes for signatures, attestations and SBOMs of a digest. */
export const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/;
const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
};

/**
 * The catalog inside the registry, readable by anyone with the registry API: repository
 * `<prefix>/bake-catalog`, one tag per target. Each tag is an OCI artifact manifest whose first
 * layer is the target's catalog document and whose other layers are the readiness reports it
 * names (so the registry keeps them). Blobs go up first and the manifest last: the tag moves in
 * one PUT, so readers see the old document or the new one.
 */
export class RegistryCatalogStore implements CatalogStore {
  readonly location: string;

  constructor(
    private readonly client: RegistryClient,
    private readonly repository: string,
  ) {
    this.location = `${client.host}/${repository}`;
  }

  async targets(): Promise<string[]> {
    // cosign keeps a signed document's signatures beside it as `sha256-<hex>.sig` tags.
    return (await this.client.listTags(this.repository)).filter((t) => !COSIGN_TAG.test(t)).sort();
  }

  async read(target: string): Promise<TargetCatalog | undefined> {
    const manifest = await this.client.getManifest(this.repository, target);
    if (!manifest) return undefined;
    const layer = layersOf(manifest)[0];
    const blob = layer && (await this.client.getBlob(this.repository, layer.digest));
    if (!blob) return undefined;
    return parseTargetCatalog(blob.toString('utf8'), `${this.location}:${target}`);
  }

  async write(catalog: TargetCatalog): Promise<void> {
    const document = Buffer.from(`${JSON.stringify(catalog, null, 2)}\n`);
    await this.client.putBlob(this.repository, Buffer.from('{}'));
    const digest = await this.client.putBlob(this.repository, document);
    const blobs = [
      ...[...new Set(catalog.images.map((i) => i.reportDigest))].map((d) => [d, REPORT_MEDIA_TYPE] as const),
      ...[...new Set(catalog.images.flatMap((i) => listingDigests(i.baseline)))].map(
        (d) => [d, LISTING_MEDIA_TYPE] as const,
      ),
    ];
    const reportLayers = [];
    for (const [blob, mediaType] of blobs) {
      const size = await this.client.headBlob(this.repository, blob);
      if (size !== undefined) reportLayers.push({ mediaType, digest: blob, size });
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: CATALOG_ARTIFACT_TYPE,
      config: EMPTY_CONFIG,
      layers: [{ mediaType: CATALOG_ARTIFACT_TYPE, digest, size: document.length }, ...reportLayers],
      annotations: {
        'org.opencontainers.image.title': `bake catalog of ${catalog.target}`,
        'org.opencontainers.image.created': catalog.updatedAt,
      },
    };
    await this.client.putManifest(this.repository, catalog.target, OCI_MANIFEST, Buffer.from(JSON.stringify(manifest)));
  }

  putReport(report: Buffer): Promise<string> {
    return this.client.putBlob(this.repository, report);
  }

  getReport(digest: string): Promise<Buffer | undefined> {
    return this.client.getBlob(this.repository, digest);
  }
}

function layersOf(manifest: Manifest): { digest: string; mediaType: string }[] {
  return (
    (JSON.parse(manifest.body.toString('utf8')) as { layers?: { digest: string; mediaType: string }[] }).layers ?? []
  );
}
