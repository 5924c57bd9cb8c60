import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { BakeError, ExitCode, errorMessage, exitCodeOf } from '../common/errors';
import type { Logger } from '../common/log';
import { BASE_LOCK_FILE, type BaseLock, readBaseLock, renderBaseLock } from '../recipe/base-lock';
import { loadRecipes } from '../recipe/load-recipes';
import { parseImageReference } from '../registry/image-reference';
import { HttpRegistryClient, type RegistryClient } from '../registry/registry-client';
import { registryCredentials } from '../registry/registry-credentials';

export interface BaseChange {
  ref: string;
  /** The digest the lock had; absent for a tag locked for the first time. */
  from?: string;
  to: string;
}

export interface BaseLockUpdate {
  file: string;
  /** Every tag looked up, in order, with its change (from === to: unchanged). */
  bases: BaseChange[];
  /** Whether the lock file was rewritten. */
  written: boolean;
}

export interface UpdateBaseLockInput {
  recipesDir: string;
  /** Recipe names to refresh (default: every recipe). */
  recipes?: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  now: Date;
  /** Tests and other registries' clients; default: the registry API over https with the site's credentials. */
  clientFor?: (host: string) => Promise<RegistryClient>;
}

/**
 * Resolves every base tag of the recipes to the digest it points at now (the multi-arch index
 * where there is one) and rewrites recipes/bases.lock.yaml atomically when anything changed.
 * Tags of other recipes keep their locked digest. A tag that cannot be resolved stops the
 * update with nothing written, so the lock never holds a half-refreshed state.
 */
export async function updateBaseLock(input: UpdateBaseLockInput): Promise<BaseLockUpdate> {
  const { recipes } = await loadRecipes(input.recipesDir, { allowUnlockedBases: true });
  const unknown = (input.recipes ?? []).filter((name) => !recipes.some((r) => r.name === name));
  if (unknown.length)
    throw new BakeError(
      `unknown recipe ${unknown.join(', ')}; known: ${recipes.map((r) => r.name).join(', ')}`,
      ExitCode.Usage,
    );
  const picked = recipes.filter((r) => !input.recipes?.length || input.recipes.includes(r.name));
  const refs = [...new Set(picked.flatMap((r) => Object.values(r.lockedBases ?? {})))].sort();
  const file = join(input.recipesDir, BASE_LOCK_FILE);
  const problems: { file: string; path: string; message: string }[] = [];
  const lock: BaseLock = await readBaseLock(input.recipesDir, problems);
  const clientFor =
    input.clientFor ??
    (async (host: string) => new HttpRegistryClient(host, await registryCredentials(host, input.env)));

  const bases: BaseChange[] = [];
  for (const ref of refs) {
    const { host, repository, tag } = parseImageReference(ref);
    const head = await (await clientFor(host)).headManifest(repository, tag).catch((err: unknown) => {
      throw new BakeError(
        `cannot resolve base ${ref}: ${errorMessage(err)}`,
        exitCodeOf(err, { otherwise: ExitCode.Unavailable }),
        `${BASE_LOCK_FILE} is unchanged; builds keep using it`,
      );
    });
    if (!head?.digest)
      throw new BakeError(
        `base ${ref} does not exist in ${host}`,
        ExitCode.Unavailable,
        `${BASE_LOCK_FILE} is unchanged`,
      );
    bases.push({ ref, ...(lock.bases[ref] ? { from: lock.bases[ref].digest } : {}), to: head.digest });
  }
  const changed = bases.filter((b) => b.from !== b.to);
  for (const b of changed) lock.bases[b.ref] = { digest: b.to, resolvedAt: input.now.toISOString() };
  if (changed.length) await writeFileAtomic(file, renderBaseLock(lock));
  for (const b of changed)
    input.logger.info(`${b.ref}: ${b.from ? `${short(b.from)} → ${short(b.to)}` : `locked at ${short(b.to)}`}`);
  return { file, bases, written: changed.length > 0 };
}

function short(digest: string): string {
  return digest.slice(0, 19);
}
