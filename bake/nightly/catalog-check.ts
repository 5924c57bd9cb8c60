import type { Plan } from '../plan/types';
import { isoDay } from '../recipe/waiver-dates';
import { expiredWaiver, vettedEntry } from '../registry/catalog-entry';
import type { RegistryClient } from '../registry/registry-client';
import type { CatalogStore, TargetCatalog } from '../registry/types';

/**
 * Whether every image kind of a plan is vetted in the catalog with exactly these inputs (and,
 * in a registry, still there): then the nightly job has nothing to do for the target. One
 * catalog read per target, so a run with nothing to do takes well under a second per target.
 * An image whose verdict relied on a waiver that has expired by `now` is not vetted any more:
 * it is checked again, and fails the gate unless the check passes now.
 */
export function vettedInCatalog(
  catalog: CatalogStore,
  now: Date,
  client?: RegistryClient,
): (plan: Plan) => Promise<boolean> {
  return async (plan) => {
    const doc: TargetCatalog | undefined = await catalog.read(plan.target.name);
    for (const kind of plan.target.kinds) {
      const entry = vettedEntry(doc, kind, plan.inputsDigest);
      if (!entry || entry.revoked || expiredWaiver(entry.waivers, isoDay(now))) return false;
      if (client && entry.manifestDigest) {
        const repository = entry.repository.slice(client.host.length + 1);
        if (!(await client.headManifest(repository, entry.manifestDigest))) return false;
      }
    }
    return true;
  };
}
