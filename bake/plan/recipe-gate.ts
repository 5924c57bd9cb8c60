import { rangeVerdict } from '../golang/range-verdict';
import type { GoVersionPolicy } from '../golang/types';
import { RecipeError, type RecipeProblem } from '../recipe/recipe-errors';
import type { Target } from '../recipe/types';

/**
 * What the version policy refuses about the targets' Go ranges, known without the network
 * (from the releases bake knows of): a range on no supported line, below a line's minimum
 * patch, or past a site line's end of support. Each is a problem of the recipe's field.
 */
export function policyProblems(targets: Target[], policy: GoVersionPolicy, now: Date): RecipeProblem[] {
  const seen = new Set<string>();
  const problems: RecipeProblem[] = [];
  for (const target of targets) {
    const key = `${target.recipeFile}\0${target.go.versions}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const verdict = rangeVerdict(policy, target.go.versions, now);
    if (verdict.status === 'refused')
      problems.push(...verdict.messages.map((message) => ({ file: target.recipeFile, path: 'go.versions', message })));
  }
  return problems;
}

/** `bake recipe check`: every recipe loaded (the loader refused what it could) and every range allowed. */
export function checkRecipeTargets(targets: Target[], policy: GoVersionPolicy, now: Date): void {
  const problems = policyProblems(targets, policy, now);
  if (problems.length) throw new RecipeError(problems);
}
