import { promises as fs } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { BakeError, ExitCode } from '../common/errors';
import { applyBaseLock, BASE_LOCK_FILE, readBaseLock } from './base-lock';
import { mergeDefaults } from './merge-defaults';
import { RecipeError, type RecipeProblem, zodProblems } from './recipe-errors';
import { recipeSchema } from './recipe-schema';
import type { Recipe } from './types';

/** Files in a recipes directory that are not recipes. */
export const DEFAULTS_FILE = 'defaults.yaml';
export const POLICY_FILE = 'policy.yaml';

export interface LoadedRecipes {
  dir: string;
  recipes: Recipe[];
}

/**
 * Loads every recipe of a directory, merged over defaults.yaml and validated.
 * Collects all problems of all files before failing, so one run shows everything to fix.
 */
export interface LoadOptions {
  /** Leave base tags missing from bases.lock.yaml unpinned instead of refusing them (`bake base update`). */
  allowUnlockedBases?: boolean;
}

export async function loadRecipes(dir: string, options: LoadOptions = {}): Promise<LoadedRecipes> {
  const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(`cannot read recipes directory ${dir}: ${err.code ?? err.message}`, ExitCode.Usage, 'pass --recipes DIR');
  });
  const files = entries.filter((f) => /\.ya?ml$/.test(f) && f !== DEFAULTS_FILE && f !== POLICY_FILE && f !== BASE_LOCK_FILE).sort();
  const problems: RecipeProblem[] = [];
  const defaultsPath = join(dir, DEFAULTS_FILE);
  const defaults = entries.includes(DEFAULTS_FILE) ? await readYaml(defaultsPath, problems) : {};
  const recipes: Recipe[] = [];
  for (const file of files) {
    const recipe = parseRecipe(join(dir, file), await readYaml(join(dir, file), problems), defaults, problems);
    if (recipe) recipes.push(recipe);
  }
  problems.push(...duplicateNames(recipes));
  problems.push(...applyBaseLock(recipes, await readBaseLock(dir, problems), dir, options.allowUnlockedBases));
  if (problems.length) throw new RecipeError(problems);
  if (recipes.length === 0) throw new BakeError(`no recipes (*.yaml) in ${dir}`, ExitCode.Usage, 'pass --recipes DIR');
  return { dir, recipes };
}

export function parseRecipe(file: string, raw: unknown, defaults: unknown, problems: RecipeProblem[]): Recipe | undefined {
  if (raw === undefined) return undefined;
  const shown = displayPath(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ file: shown, path: '', message: 'expected a mapping of recipe fields' });
    return undefined;
  }
  const result = recipeSchema.safeParse(mergeDefaults(defaults, raw), { reportInput: true });
  if (!result.success) {
    problems.push(...zodProblems(shown, result.error));
    return undefined;
  }
  const name = result.data.name ?? basename(file).replace(/\.ya?ml$/, '');
  return { ...result.data, name, file: shown };
}

async function readYaml(file: string, problems: RecipeProblem[]): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}` : '';
      problems.push({ file: displayPath(file), path: where, message: `YAML: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    return undefined;
  }
  return doc.toJS() ?? {};
}

function duplicateNames(recipes: Recipe[]): RecipeProblem[] {
  const byName = new Map<string, Recipe>();
  const problems: RecipeProblem[] = [];
  for (const r of recipes) {
    const first = byName.get(r.name);
    if (first) problems.push({ file: r.file, path: 'name', message: `duplicate recipe name "${r.name}" (also in ${first.file}); target names must be unique` });
    else byName.set(r.name, r);
  }
  return problems;
}

/** Paths in messages are relative to the working directory when that is shorter. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
