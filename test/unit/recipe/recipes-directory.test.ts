import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecipes, MAX_RECIPE_BYTES } from '../../../bake/recipe/load-recipes';
import { RecipeError } from '../../../bake/recipe/recipe-errors';
import { scratchDir } from '../scratch-dir';

/**
 * The recipes directory itself as a mistake or an attacker leaves it: every case is one
 * problem naming the file, exit code 3 (RecipeError), and a message of bounded size.
 */

function recipesDir(): string {
  const dir = scratchDir('bake-recipes-dir-');
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml', 'debian12.yaml'])
    copyFileSync(join('recipes', f), join(dir, f));
  return dir;
}

async function problemsOf(dir: string): Promise<RecipeError> {
  const err = await loadRecipes(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RecipeError);
  expect((err as RecipeError).message.length).toBeLessThan(2000);
  return err as RecipeError;
}

describe('the recipes directory', () => {
  it('a symbolic link loop named *.yaml', async () => {
    const dir = recipesDir();
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'a.yaml'));
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    const err = await problemsOf(dir);
    expect(err.message).toContain(`${join(dir, 'a.yaml')}: (top level): cannot read: a symbolic link loop`);
  });

  it('a dangling symbolic link', async () => {
    const dir = recipesDir();
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
    expect((await problemsOf(dir)).message).toContain(
      `${join(dir, 'dangling.yaml')}: (top level): cannot read: a dangling symbolic link`,
    );
  });

  it('a directory named *.yaml', async () => {
    const dir = recipesDir();
    mkdirSync(join(dir, 'folder.yaml'));
    expect((await problemsOf(dir)).message).toContain(
      `${join(dir, 'folder.yaml')}: (top level): is a directory, not a recipe file`,
    );
  });

  it('a FIFO named *.yaml (reading it would block forever)', async () => {
    const dir = recipesDir();
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    expect((await problemsOf(dir)).message).toContain(`${join(dir, 'pipe.yaml')}: (top level): is not a regular file`);
  });

  it('an unreadable file (as a user that cannot read it)', async () => {
    if (process.getuid?.() === 0) {
      // root reads a mode-000 file anyway; the EACCES path is the message mapping below.
      console.log(
        'recipes-directory: running as root, so a mode-000 file is readable; ' +
          'checking a file root cannot open instead (a socket)',
      );
      const dir = recipesDir();
      const server = require('node:net').createServer();
      await new Promise<void>((resolve) => server.listen(join(dir, 'socket.yaml'), resolve));
      try {
        expect((await problemsOf(dir)).message).toContain(
          `${join(dir, 'socket.yaml')}: (top level): is not a regular file`,
        );
      } finally {
        server.close();
      }
      return;
    }
    const dir = recipesDir();
    writeFileSync(join(dir, 'secret.yaml'), 'distro: debian\n', { mode: 0o000 });
    expect((await problemsOf(dir)).message).toContain(
      `${join(dir, 'secret.yaml')}: (top level): cannot read: permission denied`,
    );
  });

  it('a YAML alias bomb', async () => {
    const dir = recipesDir();
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    writeFileSync(join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
    const started = Date.now();
    const err = await problemsOf(dir);
    expect(err.message).toMatch(
      new RegExp(
        `${join(dir, 'bomb.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: \\(top level\\): YAML: .*alias`,
        'i',
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a file of megabytes is refused by its size, not parsed', async () => {
    const dir = recipesDir();
    writeFileSync(join(dir, 'huge.yaml'), `distro: "${'d'.repeat(4 * 1024 * 1024)}"\n`);
    const err = await problemsOf(dir);
    expect(err.message).toContain(
      `${join(dir, 'huge.yaml')}: (top level): is ${4 * 1024 * 1024 + 11} bytes; ` +
        `a recipe is at most ${MAX_RECIPE_BYTES}`,
    );
  });

  it('a missing defaults.yaml is named once, as such', async () => {
    const dir = recipesDir();
    execFileSync('rm', [join(dir, 'defaults.yaml')]);
    const err = await problemsOf(dir);
    expect(err.problems.filter((p) => p.file.endsWith('defaults.yaml'))).toEqual([
      {
        file: join(dir, 'defaults.yaml'),
        path: '',
        message: 'missing: every recipe is merged over it (start from the shipped recipes/defaults.yaml)',
      },
    ]);
  });
});
