import { BakeError, ExitCode } from '../common/errors';
import { sha256Hex } from '../common/sha256';
import { parseTreeRecord } from './tree-listing';
import type { Baseline, TreeListing } from './types';

/** Where listings are kept by their sha256 (the catalog's content-addressed store). */
export interface BlobStore {
  putReport(bytes: Buffer): Promise<string>;
  getReport(digest: string): Promise<Buffer | undefined>;
}

/** The digests of every listing a baseline's tree records name (meta and sums of each tree). */
export function listingDigests(baseline: Baseline | undefined): string[] {
  if (!baseline) return [];
  return Object.entries(baseline.values)
    .filter(([key]) => key.startsWith('tree:'))
    .flatMap(([, value]) => {
      const tree = parseTreeRecord(value);
      return tree ? [tree.meta, tree.sums] : [];
    });
}

/** Keeps a capture's listings beside the catalog, addressed by the digests its records name. */
export async function putListings(store: BlobStore, trees: Record<string, TreeListing>): Promise<void> {
  // Content-addressed blobs of their own: written at once.
  await Promise.all(
    Object.values(trees).flatMap((listing) =>
      [listing.meta, listing.sums].map((text) => store.putReport(Buffer.from(text, 'utf8'))),
    ),
  );
}

/** Copies a baseline's listings from one store to another (publishing to a registry). */
export async function copyListings(from: BlobStore, to: BlobStore, baseline: Baseline | undefined): Promise<void> {
  for (const digest of listingDigests(baseline)) {
    const bytes = await from.getReport(digest);
    if (bytes) await to.putReport(bytes);
  }
}

/**
 * The listings of a baseline's trees that the store still has, each checked against the digest
 * its record names; a tree without them is compared by its hashes alone.
 */
export async function getListings(store: BlobStore, baseline: Baseline): Promise<Record<string, TreeListing>> {
  const out: Record<string, TreeListing> = {};
  for (const [key, value] of Object.entries(baseline.values)) {
    const tree = key.startsWith('tree:') ? parseTreeRecord(value) : undefined;
    if (!tree) continue;
    const [meta, sums] = await Promise.all([store.getReport(tree.meta), store.getReport(tree.sums)]);
    if (!meta || !sums) continue;
    for (const [bytes, digest] of [
      [meta, tree.meta],
      [sums, tree.sums],
    ] as const)
      if (`sha256:${sha256Hex(bytes)}` !== digest)
        throw new BakeError(`the listing ${digest} of ${key} does not match its digest`, ExitCode.Untrusted);
    out[key.slice('tree:'.length)] = { meta: meta.toString('utf8'), sums: sums.toString('utf8') };
  }
  return out;
}
