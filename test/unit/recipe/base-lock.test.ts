import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BASE_LOCK_FILE, readBaseLock, renderBaseLock } from '../../../bake/recipe/base-lock';
import { loadRecipes } from '../../../bake/recipe/load-recipes';
import { RecipeError } from '../../../bake/recipe/recipe-errors';
import { scratchDir } from '../scratch-dir';

const DIGEST = `sha256:${'a'.repeat(64)}`;

async function recipesWith(lock: string | undefined): Promise<string> {
  const dir = scratchDir('bake-lock-');
  for (const f of ['defaults.yaml', 'policy.yaml', 'debian12.yaml'])
    await fs.copyFile(join('recipes', f), join(dir, f));
  if (lock !== undefined) await fs.writeFile(join(dir, BASE_LOCK_FILE), lock);
  return dir;
}

describe('recipes/bases.lock.yaml', () => {
  it('pins the tags of the shipped recipes with the shipped lock', async () => {
    const { recipes } = await loadRecipes('recipes');
    const debian12 = recipes.find((r) => r.name === 'debian12')!;
    expect(debian12.lockedBases).toEqual({
      amd64: 'docker.io/library/debian:bookworm',
      arm64: 'docker.io/library/debian:bookworm',
    });
    expect(debian12.bases.amd64).toMatch(/^docker\.io\/library\/debian:bookworm@sha256:[0-9a-f]{64}$/);
  });

  it('round-trips through its rendering', async () => {
    const lock = {
      bases: { 'docker.io/library/debian:bookworm': { digest: DIGEST, resolvedAt: '2026-12-02T00:00:00.000Z' } },
    };
    const dir = await recipesWith(renderBaseLock(lock));
    expect(await readBaseLock(dir, [])).toEqual(lock);
    const { recipes } = await loadRecipes(dir);
    expect(recipes[0].bases.arm64).toBe(`docker.io/library/debian:bookworm@${DIGEST}`);
  });

  it('a missing lock refuses every tag, per file and field; bake base update may load without it', async () => {
    const dir = await recipesWith(undefined);
    const err = (await loadRecipes(dir).catch((e: unknown) => e)) as RecipeError;
    expect(err).toBeInstanceOf(RecipeError);
    expect(err.problems.map((p) => p.path)).toEqual(['bases.amd64', 'bases.arm64']);
    expect(err.message).toContain(
      `debian12.yaml: bases.amd64: docker.io/library/debian:bookworm is not in ${join(dir, BASE_LOCK_FILE)}`,
    );
    const { recipes } = await loadRecipes(dir, { allowUnlockedBases: true });
    expect(recipes[0].bases.amd64).toBe('docker.io/library/debian:bookworm');
  });

  it.each([
    ['a digest that is not one', `bases:\n  docker.io/library/debian:bookworm: { digest: sha256:12, resolvedAt: x }\n`],
    ['broken YAML', 'bases: [\n'],
    ['another shape', 'debian: 1\n'],
  ])('a lock with %s is a problem of the lock file', async (_name, text) => {
    const dir = await recipesWith(text);
    const err = (await loadRecipes(dir).catch((e: unknown) => e)) as RecipeError;
    expect(err).toBeInstanceOf(RecipeError);
    expect(err.message).toContain(`${join(dir, BASE_LOCK_FILE)}: `);
    expect(err.message).toContain('not a bases lock file');
  });
});
