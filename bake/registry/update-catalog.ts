import { join } from 'node:path';
import { withFileLock } from '../common/file-lock';
import type { Logger } from '../common/log';
import { sha256Hex } from '../common/sha256';
import type { CatalogStore, TargetCatalog } from './types';

/** The lock that serializes writers of one catalog (a directory, or a registry location) on this machine. */
export function catalogLockFile(lockDir: string, store: CatalogStore): string {
  return join(lockDir, `catalog-${sha256Hex(store.location).slice(0, 16)}.lock`);
}

/** An empty catalog document for a target. */
export function emptyCatalog(target: string, now: Date): TargetCatalog {
  return { schema: 'bake.catalog/v1', target, images: [], amis: [], updatedAt: now.toISOString() };
}

/**
 * Read-modify-write of one target's catalog under the catalog's lock, so concurrent runs on
 * this machine never lose each other's records (each write itself is atomic).
 */
export async function updateCatalog(
  store: CatalogStore,
  target: string,
  change: (catalog: TargetCatalog) => TargetCatalog,
  options: { lockDir: string; logger: Logger; now: Date },
): Promise<TargetCatalog> {
  return withCatalogLock(store, options, async () => {
    const changed = change((await store.read(target)) ?? emptyCatalog(target, options.now));
    const written = { ...changed, updatedAt: options.now.toISOString() };
    await store.write(written);
    return written;
  });
}

/** Runs `fn` holding the catalog's lock: what publishing, retention and revocation write, one at a time. */
export function withCatalogLock<T>(
  store: CatalogStore,
  options: { lockDir: string; logger: Logger },
  fn: () => Promise<T>,
): Promise<T> {
  return withFileLock(catalogLockFile(options.lockDir, store), fn, {
    timeoutMs: 10 * 60_000,
    onWait: (pid) =>
      options.logger.info(`waiting for bake process ${pid}, which is writing the catalog in ${store.location}`),
  });
}
