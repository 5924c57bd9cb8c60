import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import type { RecipeProblem } from './recipe-errors';
import type { Recipe } from './types';
import { ARCHES } from './vocabulary';

/**
 * `recipes/bases.lock.yaml`: the digest each base tag of the recipes resolved to, kept beside
 * them and reviewed in git like a package lockfile. Builds use it as it is (offline too);
 * `bake base update` and `bake nightly --refresh-bases` resolve the tags again and rewrite it.
 */
export const BASE_LOCK_FILE = 'bases.lock.yaml';

export interface LockedBase {
  /** `sha256:` of the multi-arch index (or the single manifest) the tag pointed at. */
  digest: string;
  resolvedAt: string;
}

export interface BaseLock {
  bases: Record<string, LockedBase>;
}

const lockSchema = z.strictObject({
  bases: z.record(
    z.string(),
    z.strictObject({
      digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a digest such as "sha256:<64 hex>"'),
      resolvedAt: z.string(),
    }),
  ),
});

/** The lock of a recipes directory; an absent file is an empty lock. */
export async function readBaseLock(dir: string, problems: RecipeProblem[]): Promise<BaseLock> {
  const file = join(dir, BASE_LOCK_FILE);
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    problems.push({ file, path: '', message: `cannot read: ${err.code ?? err.message}` });
    return undefined;
  });
  if (text === undefined) return { bases: {} };
  const doc = parseDocument(text, { uniqueKeys: true });
  const parsed = doc.errors.length ? undefined : lockSchema.safeParse(doc.toJS({ maxAliasCount: 0 }) ?? { bases: {} });
  if (!parsed?.success) {
    problems.push({
      file,
      path: parsed?.error.issues[0]?.path.join('.') ?? '',
      message: 'not a bases lock file (regenerate it with `bake base update`)',
    });
    return { bases: {} };
  }
  return parsed.data;
}

const LOCK_HEADER =
  '# Written by `bake base update`: the digest each base tag of these recipes resolved to.\n' +
  '# Review changes like code; builds use these digests until the next update.\n';

export function renderBaseLock(lock: BaseLock): string {
  const bases = Object.fromEntries(Object.entries(lock.bases).sort(([a], [b]) => a.localeCompare(b)));
  return `${LOCK_HEADER}${stringify({ bases })}`;
}

/** Whether a base reference names a tag only (resolved through the lock). */
export function isTagOnly(ref: string): boolean {
  return !ref.includes('@');
}

/**
 * Pins every tag-only base of the recipes with its locked digest (`repo:tag@sha256:...`), so
 * later stages only ever see pinned references; a tag missing from the lock is a problem of
 * the recipe that names it.
 */
export function applyBaseLock(recipes: Recipe[], lock: BaseLock, dir: string, allowUnlocked = false): RecipeProblem[] {
  const problems: RecipeProblem[] = [];
  for (const recipe of recipes) {
    for (const arch of ARCHES) {
      const ref = recipe.bases[arch];
      if (!ref || !isTagOnly(ref)) continue;
      const locked = lock.bases[ref];
      recipe.lockedBases = { ...recipe.lockedBases, [arch]: ref };
      if (!locked && allowUnlocked) continue;
      if (!locked) {
        problems.push({
          file: recipe.file,
          path: `bases.${arch}`,
          message: `${ref} is not in ${join(dir, BASE_LOCK_FILE)}; run \`bake base update ${recipe.name}\``,
        });
        continue;
      }
      recipe.bases[arch] = `${ref}@${locked.digest}`;
    }
  }
  return problems;
}
