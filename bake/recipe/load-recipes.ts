import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import { BakeError, ExitCode } from '../common/errors';
import { applyBaseLock, BASE_LOCK_FILE, readBaseLock } from './base-lock';
import { resolveRecipeChecks } from './check-imports';
import { resolveSiteCa } from './site-ca';
import { displayPath } from './display-path';
import { mergeDefaults } from './merge-defaults';
import { RecipeError, type RecipeProblem, shownValue, zodProblems } from './recipe-errors';
import { RECIPE_NAME, recipeSchema } from './recipe-schema';
import { controlCharacterProblems } from './value-rules';
import type { Recipe } from './types';
import { parseYamlText } from './yaml-text';

/** Files in a recipes directory that are not recipes. */
export const DEFAULTS_FILE = 'defaults.yaml';
export const POLICY_FILE = 'policy.yaml';

export interface LoadedRecipes {
  dir: string;
  recipes: Recipe[];
  /** What works but should change (a permanent skip, an imported test bake cannot run). */
  warnings: RecipeProblem[];
}

/**
 * Loads every recipe of a directory, merged over defaults.yaml and validated.
 * Collects all problems of all files before failing, so one run shows everything to fix.
 */
export interface LoadOptions {
  /** Leave base tags missing from bases.lock.yaml unpinned instead of refusing them (`bake base update`). */
  allowUnlockedBases?: boolean;
  /** Refuse what is otherwise a warning (`bake recipe check --strict`). */
  strict?: boolean;
}

export async function loadRecipes(dir: string, options: LoadOptions = {}): Promise<LoadedRecipes> {
  const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(
      `cannot read recipes directory ${dir}: ${err.code ?? err.message}`,
      ExitCode.Usage,
      'pass --recipes DIR',
    );
  });
  const files = entries
    .filter((f) => /\.ya?ml$/.test(f) && f !== DEFAULTS_FILE && f !== POLICY_FILE && f !== BASE_LOCK_FILE)
    .sort();
  const problems: RecipeProblem[] = [];
  const defaultsPath = join(dir, DEFAULTS_FILE);
  if (!entries.includes(DEFAULTS_FILE)) {
    problems.push({
      file: displayPath(defaultsPath),
      path: '',
      message: 'missing: every recipe is merged over it (start from the shipped recipes/defaults.yaml)',
    });
  }
  const defaults = entries.includes(DEFAULTS_FILE) ? ((await readYaml(defaultsPath, problems)) ?? {}) : {};
  const recipes: Recipe[] = [];
  const warnings: RecipeProblem[] = [];
  for (const file of files) {
    const recipe = parseRecipe(join(dir, file), await readYaml(join(dir, file), problems), defaults, problems);
    if (recipe)
      recipes.push(await resolveSiteCa(await resolveRecipeChecks(recipe, dir, problems, warnings), dir, problems));
  }
  problems.push(...duplicateNames(recipes));
  problems.push(...applyBaseLock(recipes, await readBaseLock(dir, problems), dir, options.allowUnlockedBases));
  if (options.strict) problems.push(...warnings.map((w) => ({ ...w, message: `${w.message} (--strict)` })));
  if (problems.length) throw new RecipeError(problems);
  if (recipes.length === 0) throw new BakeError(`no recipes (*.yaml) in ${dir}`, ExitCode.Usage, 'pass --recipes DIR');
  return { dir, recipes, warnings };
}

export function parseRecipe(
  file: string,
  raw: unknown,
  defaults: unknown,
  problems: RecipeProblem[],
): Recipe | undefined {
  if (raw === undefined) return undefined;
  const shown = displayPath(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file: shown, path: '', message: 'expected a mapping of recipe fields' });
    return undefined;
  }
  const merged = mergeDefaults(defaults, raw);
  const controls = controlCharacterProblems(shown, merged);
  const result = recipeSchema.safeParse(merged, { reportInput: true });
  const fileName = basename(file).replace(/\.ya?ml$/, '');
  const name = result.success ? (result.data.name ?? fileName) : fileName;
  const nameProblems =
    result.success && !result.data.name && !RECIPE_NAME.test(fileName)
      ? [
          {
            file: shown,
            path: 'name',
            message:
              `the file name ${shownValue(fileName)} is the recipe's name, ` +
              'which must be lowercase letters and digits, starting with a letter, at most 32 ' +
              '(rename the file or set name:)',
          },
        ]
      : [];
  problems.push(...controls, ...(result.success ? [] : zodProblems(shown, result.error)), ...nameProblems);
  if (!result.success || controls.length || nameProblems.length) return undefined;
  return { ...result.data, name, file: shown };
}

/** A recipe is a page of YAML; a file much larger is a mistake (or an attack), not a recipe. */
export const MAX_RECIPE_BYTES = 256 * 1024;

async function readYaml(file: string, problems: RecipeProblem[]): Promise<unknown> {
  const shown = displayPath(file);
  const text = await readRecipeText(file).catch((err: NodeJS.ErrnoException | Error) => {
    problems.push({
      file: shown,
      path: '',
      message: 'code' in err && err.code ? `cannot read: ${readErrorText(err.code)}` : err.message,
    });
    return undefined;
  });
  return text === undefined ? undefined : parseYamlText(text, shown, problems);
}

/** The file's text, when it is a regular file (symlinks followed) of a sensible size. */
async function readRecipeText(file: string): Promise<string> {
  const stat = await fs.stat(file);
  if (!stat.isFile())
    throw new Error(stat.isDirectory() ? 'is a directory, not a recipe file' : 'is not a regular file');
  if (stat.size > MAX_RECIPE_BYTES) throw new Error(`is ${stat.size} bytes; a recipe is at most ${MAX_RECIPE_BYTES}`);
  const handle = await fs.open(file, 'r');
  try {
    // Read at most one byte past the limit: the file may grow between stat and read.
    const buffer = Buffer.alloc(MAX_RECIPE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_RECIPE_BYTES)
      throw new Error(`is larger than ${MAX_RECIPE_BYTES} bytes; a recipe is at most that`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export function readErrorText(code: string): string {
  const known: Record<string, string> = {
    ELOOP: 'a symbolic link loop',
    ENOENT: 'a dangling symbolic link (or the file went away)',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
  };
  return known[code] ?? code;
}

function duplicateNames(recipes: Recipe[]): RecipeProblem[] {
  const byName = new Map<string, Recipe>();
  const problems: RecipeProblem[] = [];
  for (const r of recipes) {
    const first = byName.get(r.name);
    if (first)
      problems.push({
        file: r.file,
        path: 'name',
        message: `duplicate recipe name "${r.name}" (also in ${first.file}); target names must be unique`,
      });
    else byName.set(r.name, r);
  }
  return problems;
}
