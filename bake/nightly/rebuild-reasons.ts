import type { BakedTarget } from '../pipeline/types';
import type { CatalogStore } from '../registry/types';
import { previousVetted, targetChanges } from './image-changes';

/**
 * After a nightly run: each rebuilt target's `changes`, what differs from the vetted image it
 * replaces (read from the catalog, which now holds both).
 */
export async function explainRebuilds(baked: BakedTarget[], catalog: CatalogStore): Promise<void> {
  for (const { result, plan } of baked) {
    if (!plan || !['vetted', 'up-to-date'].includes(result.status)) continue;
    const doc = await catalog.read(plan.target.name);
    result.changes = targetChanges(plan, doc, (d, kind) => previousVetted(d, kind, plan.inputsDigest));
  }
}
