import { join } from 'node:path';
import { CHECK_IDS } from './check-ids';
import { translateCst } from './cst-import';
import { displayPath } from './display-path';
import { type RecipeProblem, shownValue } from './recipe-errors';
import { readSuiteFile } from './suite-file';
import type { CheckFinding, CustomCheck, Recipe } from './types';
import { parseYamlText } from './yaml-text';

/**
 * The part of a recipe's checks that needs more than its own file: the suites it imports
 * (read from the recipes directory and translated), the waivers' ids (which may name an
 * imported check), and the warnings for what still works but should change (a permanent skip,
 * an imported test bake cannot run). Problems refuse the recipe; warnings do not.
 */
export async function resolveRecipeChecks(
  recipe: Recipe,
  recipesDir: string,
  problems: RecipeProblem[],
  warnings: RecipeProblem[],
): Promise<Recipe> {
  const file = recipe.file;
  const checks: CustomCheck[] = [];
  const findings: CheckFinding[] = [];
  for (const [i, entry] of (recipe.checks.import ?? []).entries()) {
    const { file: suite, kinds } = typeof entry === 'string' ? { file: entry, kinds: undefined } : entry;
    const at = `checks.import.${i}`;
    const text = await readSuiteFile(recipesDir, suite).catch((err: Error) => {
      problems.push({ file, path: at, message: `${shownValue(suite)} ${err.message}` });
      return undefined;
    });
    if (text === undefined) continue;
    const raw = parseYamlText(text, displayPath(join(recipesDir, suite)), problems);
    if (raw === undefined) continue;
    const translated = translateCst(raw, suite, kinds);
    problems.push(...translated.problems.map((message) => ({ file, path: at, message: `${suite}: ${message}` })));
    checks.push(...translated.checks);
    findings.push(...translated.findings);
    warnings.push(
      ...translated.findings.map((f) => ({ file, path: at, message: `${suite}: ${f.id} not imported: ${f.reason}` })),
    );
  }

  const written = new Set((recipe.checks.custom ?? []).map((c) => c.id));
  const clashes = checks.filter((c) => written.has(c.id));
  for (const c of clashes)
    problems.push({
      file,
      path: 'checks.custom',
      message: `check id ${shownValue(c.id)} is also the id of a test imported from ${c.origin ?? 'a suite'}`,
    });

  const known = new Set([...CHECK_IDS, ...written, ...checks.map((c) => c.id)]);
  (recipe.checks.waive ?? []).forEach((w, i) => {
    const finding = findings.find((f) => f.id === w.id);
    if (finding)
      problems.push({
        file,
        path: `checks.waive.${i}.id`,
        message: `${shownValue(w.id)} was not imported (${finding.reason}), so it never runs: nothing to waive`,
      });
    else if (!known.has(w.id))
      problems.push({
        file,
        path: `checks.waive.${i}.id`,
        message: `no check ${shownValue(w.id)} in this recipe (bake's own, checks.custom or an imported suite)`,
      });
  });
  recipe.checks.skip.forEach((id, i) =>
    warnings.push({
      file,
      path: `checks.skip.${i}`,
      message:
        `${shownValue(id)} is skipped for good, with no reason or end date; ` +
        'write checks.waive: [{id, reason, until: YYYY-MM-DD}] instead (a waived check still runs)',
    }),
  );
  return checks.length || findings.length ? { ...recipe, imported: { checks, findings } } : recipe;
}
