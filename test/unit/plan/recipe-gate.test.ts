import { ExitCode } from '../../../bake/common/errors';
import { checkRecipeTargets, policyProblems } from '../../../bake/plan/recipe-gate';
import { RecipeError } from '../../../bake/recipe/recipe-errors';
import { handMadeTarget } from '../render/render-fixtures';

const policy = { upstreamLines: 2, lines: [] };
const now = new Date('2026-12-01T00:00:00Z');
const withRange = (versions: string, arch: 'amd64' | 'arm64' = 'amd64', recipeFile = 'recipes/testos1.yaml') =>
  handMadeTarget({ name: `testos1-${arch}`, arch, recipeFile, go: { versions, sources: ['official'] } });

describe('policyProblems', () => {
  test('a supported range is no problem', () => {
    expect(policyProblems([withRange('1.27.x'), withRange('1.26.x', 'arm64')], policy, now)).toEqual([]);
  });

  test("a range on no supported line is a problem of the recipe's go.versions, once per recipe and range", () => {
    const problems = policyProblems([withRange('1.22.x'), withRange('1.22.x', 'arm64')], policy, now);
    expect(problems).toEqual([
      {
        file: 'recipes/testos1.yaml',
        path: 'go.versions',
        message: expect.stringMatching(/^range 1\.22\.x reaches no supported line/),
      },
    ]);
  });

  test('the same range in two recipe files is a problem of each', () => {
    const problems = policyProblems(
      [withRange('1.22.x'), withRange('1.22.x', 'amd64', 'recipes/other.yaml')],
      policy,
      now,
    );
    expect(problems.map((p) => p.file)).toEqual(['recipes/testos1.yaml', 'recipes/other.yaml']);
  });

  test('a range below the minimum patch of its line', () => {
    const [problem] = policyProblems([withRange('<1.27.4 >=1.27.0')], policy, now);
    expect(problem.message).toBe('range <1.27.4 >=1.27.0 reaches below the minimum patch of line 1.27 (1.27.4)');
  });
});

describe('checkRecipeTargets', () => {
  test('throws one RecipeError with every problem (exit 3), or nothing', () => {
    expect(() => checkRecipeTargets([withRange('1.27.x')], policy, now)).not.toThrow();
    let error: unknown;
    try {
      checkRecipeTargets([withRange('1.22.x'), withRange('not a range', 'amd64', 'recipes/b.yaml')], policy, now);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RecipeError);
    expect((error as RecipeError).exitCode).toBe(ExitCode.InvalidRecipe);
    expect((error as RecipeError).problems).toHaveLength(2);
  });
});
