import { readRecipesDirFile } from './recipes-dir-file';

/** An imported suite is a page or two of YAML, like a recipe. */
export const MAX_SUITE_BYTES = 256 * 1024;

/**
 * The text of a suite file a recipe imports (`checks.import`), read only from inside the
 * recipes directory, no symbolic link on the way (readRecipesDirFile).
 */
export async function readSuiteFile(recipesDir: string, relative: string): Promise<string> {
  const content = await readRecipesDirFile(recipesDir, relative, {
    maxBytes: MAX_SUITE_BYTES,
    what: 'an imported suite',
  });
  return content.toString('utf8');
}
