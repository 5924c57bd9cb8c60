import { withFileLock } from '../common/file-lock';
import type { Logger } from '../common/log';
import type { ImageEngine } from '../engine/types';
import { planPrune, type PruneDecision, type PrunePolicy } from './prune-plan';
import type { RegistryClient } from './registry-client';
import type { CatalogImage, CatalogStore } from './types';
import { catalogLockFile } from './update-catalog';

/** Where vetted images live, as retention sees it: what moving tags protect, and how one goes. */
export interface ImageHome {
  protectedDigests(images: CatalogImage[]): Promise<Set<string>>;
  remove(image: CatalogImage): Promise<void>;
}

const MOVING_TAG = /^\d+\.\d+(\.\d+)?(-(amd64|arm64))?$/;

/** A registry: moving tags are multi-arch indexes; an image goes by deleting its manifest. */
export function registryHome(client: RegistryClient): ImageHome {
  const pathOf = (image: CatalogImage) => image.repository.slice(client.host.length + 1);
  return {
    async protectedDigests(images) {
      const digests = new Set<string>();
      for (const repository of new Set(images.map(pathOf))) {
        for (const tag of (await client.listTags(repository)).filter((t) => MOVING_TAG.test(t))) {
          const manifest = await client.getManifest(repository, tag);
          if (!manifest) continue;
          digests.add(manifest.digest);
          const children =
            (JSON.parse(manifest.body.toString('utf8')) as { manifests?: { digest: string }[] }).manifests ?? [];
          for (const child of children) digests.add(child.digest);
        }
      }
      return digests;
    },
    async remove(image) {
      if (image.manifestDigest) await client.deleteManifest(pathOf(image), image.manifestDigest);
    },
  };
}

/** An engine: moving tags are per-arch local tags; an image goes by removing its immutable tag. */
export function engineHome(engine: Pick<ImageEngine, 'listImages' | 'removeImage'>): ImageHome {
  return {
    async protectedDigests(images) {
      const repositories = new Set(images.map((i) => i.repository));
      const ids = new Set<string>();
      for (const image of await engine.listImages('io.bake.kind')) {
        const moving = image.tags.filter(
          (t) => repositories.has(t.slice(0, t.lastIndexOf(':'))) && MOVING_TAG.test(t.slice(t.lastIndexOf(':') + 1)),
        );
        if (moving.length) ids.add(image.id);
      }
      return ids;
    },
    async remove(image) {
      await engine.removeImage(`${image.repository}:${image.tag}`);
    },
  };
}

export interface PruneInput {
  catalog: CatalogStore;
  home: ImageHome;
  policy: PrunePolicy;
  dryRun: boolean;
  /** Only these targets (all when absent). */
  targets?: string[];
  lockDir: string;
  logger: Logger;
}

/**
 * Retention over the catalog: decides with planPrune (so a dry run shows exactly what a real
 * run removes), removes each image where it lives, then rewrites the catalogs without them.
 */
export async function pruneCatalog(input: PruneInput): Promise<PruneDecision> {
  return withFileLock(
    catalogLockFile(input.lockDir, input.catalog),
    async () => {
      const names = (await input.catalog.targets()).filter((t) => !input.targets || input.targets.includes(t));
      const catalogs = (await Promise.all(names.map((t) => input.catalog.read(t)))).filter((c) => c !== undefined);
      const images = catalogs.flatMap((c) => c.images);
      const decision = planPrune(images, input.policy, await input.home.protectedDigests(images));
      if (input.dryRun) return decision;
      for (const image of decision.remove) {
        await input.home.remove(image);
        input.logger.info(
          `removed ${image.repository}:${image.tag} ` +
            `(${image.manifestDigest ?? image.imageId.slice(0, 19)}, vetted ${image.vettedAt})`,
        );
      }
      const removed = new Set(decision.remove);
      for (const catalog of catalogs) {
        if (!catalog.images.some((i) => removed.has(i))) continue;
        await input.catalog.write({
          ...catalog,
          images: catalog.images.filter((i) => !removed.has(i)),
          updatedAt: input.policy.now.toISOString(),
        });
      }
      return decision;
    },
    {
      timeoutMs: 10 * 60_000,
      onWait: (pid) =>
        input.logger.info(`waiting for bake process ${pid}, which is writing the catalog in ${input.catalog.location}`),
    },
  );
}
