import { promises as fs } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { redact } from '../../common/redact';
import { runCommand } from '../../common/run-command';
import { sha256Hex } from '../../common/sha256';
import type { CommandRunner } from '../../common/types';
import type { RecipeSource } from './slsa-provenance';

/**
 * Where a recipe came from, for provenance: its file's sha256 and, when the recipes directory
 * is in a git repository, the commit, whether the recipes have uncommitted changes, and the
 * origin URL (credentials removed). Not in git (or no git here): the file's digest alone.
 */
export async function recipeSource(
  recipesDir: string,
  recipe: string,
  run: CommandRunner = runCommand,
): Promise<RecipeSource> {
  const path = join(recipesDir, `${recipe}.yaml`);
  const sha256 = sha256Hex(await fs.readFile(path));
  const git = (...args: string[]) =>
    run('git', ['-C', recipesDir, ...args]).catch(() => ({ code: 127, stdout: '', stderr: '' }));
  const top = await git('rev-parse', '--show-toplevel');
  const head = await git('rev-parse', 'HEAD');
  // Outside git the directory's own name stands in: a path of the build machine says nothing to a consumer.
  if (top.code !== 0 || head.code !== 0) return { file: `${basename(recipesDir)}/${recipe}.yaml`, sha256 };
  const status = await git('status', '--porcelain', '--', '.');
  const origin = await git('remote', 'get-url', 'origin');
  return {
    file: relative(top.stdout.trim(), path),
    sha256,
    commit: head.stdout.trim(),
    dirty: status.code === 0 && status.stdout.trim() !== '',
    ...(origin.code === 0 && origin.stdout.trim() ? { repository: withoutUserinfo(origin.stdout.trim()) } : {}),
  };
}

/** `https://user:token@host/repo` -> `https://host/repo`; anything token-like left is redacted. */
function withoutUserinfo(url: string): string {
  return redact(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1'));
}
