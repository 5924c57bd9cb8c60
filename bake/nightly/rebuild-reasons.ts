import type { BakedTarget } from '../pipeline/types';
import type { CatalogStore } from '../registry/types';
import { previousVetted, targetChanges } from './image-changes';

/**
 * After a nightly run: each rebuilt target's `changes`, what differs from the vetted image it
 * replaces (read from the catalog, which now holds both).
 */
export async function explainRebuilds(baked: BakedTarget[], catalog: CatalogStore): Promise<void> {
  for (const { result, plan } of baked) {
    // A revoked image's rebuild says so first, whatever became of it.
    const revoked = result.rebuildReason ? [result.rebuildReason] : [];
    if (!plan || !['vetted', 'up-to-date'].includes(result.status)) {
      if (revoked.length) result.changes = revoked;
      continue;
    }
    const doc = await catalog.read(plan.target.name);
    result.changes = [...revoked, ...targetChanges(plan, doc, (d, kind) => previousVetted(d, kind, plan.inputsDigest))];
  }
}
