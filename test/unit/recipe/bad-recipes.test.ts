import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecipes } from '../../../bake/recipe/load-recipes';
import { RecipeError } from '../../../bake/recipe/recipe-errors';
import { scratchDir } from '../scratch-dir';

const FIXTURES = join(__dirname, '../../fixtures/bad-recipes');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** A recipes directory holding the shipped defaults, the fixture and the files it names in `# with:`. */
function recipesDirFor(fixture: string): string {
  const dir = scratchDir('bake-bad-recipe-');
  copyFileSync('recipes/defaults.yaml', join(dir, 'defaults.yaml'));
  copyFileSync(join(FIXTURES, fixture), join(dir, fixture));
  for (const extra of headerValues(fixture, 'with')) copyFileSync(join('recipes', extra), join(dir, extra));
  return dir;
}

function headerValues(fixture: string, key: string): string[] {
  const prefix = `# ${key}: `;
  return readFileSync(join(FIXTURES, fixture), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length));
}

describe('bad recipes are rejected before anything runs', () => {
  it('ships at least 40 fixtures, each stating what it expects', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    for (const f of fixtures) expect(headerValues(f, 'expect').length).toBeGreaterThan(0);
  });

  it.each(fixtures)('%s', async (fixture) => {
    const error = await loadRecipes(recipesDirFor(fixture)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecipeError);
    const message = (error as RecipeError).message;
    for (const expected of headerValues(fixture, 'expect')) {
      // Every problem line names the file, the field path and what was expected.
      expect(message).toContain(`${fixture}: ${expected}`);
    }
    // Never a flood: a value is echoed in part, whatever its size.
    const bound = Number(headerValues(fixture, 'bounded')[0] ?? 4000);
    expect(message.length).toBeLessThanOrEqual(bound);
  });

  it('reports every problem of a file at once', async () => {
    const error = (await loadRecipes(recipesDirFor('many-errors.yaml')).catch((e) => e)) as RecipeError;
    expect(error.problems.length).toBeGreaterThanOrEqual(4);
  });
});
