import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir';
import { bakeProcess, runCliAsync, type CliRun } from './run-cli';

/**
 * `bake recipe check` is the one gate: what plan would refuse about a Go range (the version
 * policy), and what the loader refuses, exits 3 with the file and the field, without the
 * network (no Go index is read) and without an engine (DOCKER_HOST points nowhere).
 */

// The tests run side by side (it.concurrent): each is mostly a CLI start, which keeps one CPU
// busy. Side by side on a busy machine, a start can take seconds.
jest.setTimeout(30_000);

function recipeCheck(dir: string): Promise<CliRun> {
  return bakeProcess(['recipe', 'check', '--recipes', dir], {
    ...process.env,
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    BAKE_CACHE_DIR: scratchDir('bake-check-cache-'),
    HTTPS_PROXY: 'http://127.0.0.1:9',
  });
}

function recipesWith(versions: string, policy?: string): string {
  const dir = scratchDir('bake-check-');
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml']) copyFileSync(join('recipes', f), join(dir, f));
  if (policy) writeFileSync(join(dir, 'policy.yaml'), policy);
  writeFileSync(
    join(dir, 'debian12.yaml'),
    `${readFileSync('recipes/debian12.yaml', 'utf8')}go:\n  versions: ${JSON.stringify(versions)}\n`,
  );
  return dir;
}

describe('bake recipe check', () => {
  it.concurrent('passes the shipped recipes', async () => {
    const r = await recipeCheck('recipes');
    expect(r.stderr).toContain('12 targets in recipes: all recipes valid');
    expect(r.code).toBe(0);
  });

  it.concurrent.each([
    [
      'a line upstream has left',
      '1.22.x',
      'range 1.22.x reaches no supported line ' +
        '(line 1.22 is not supported (it left upstream support on 2025-02-11); supported: 1.27, 1.26)',
    ],
    [
      'a range below the newest patch',
      '1.27.0 - 1.27.3',
      'range 1.27.0 - 1.27.3 reaches below the minimum patch of line 1.27 (1.27.4)',
    ],
  ])('refuses %s: exit 3, the file and the field', async (_name, range, message) => {
    const dir = recipesWith(range);
    const r = await recipeCheck(dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${join(dir, 'debian12.yaml')}: go.versions: ${message}`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it.concurrent('refuses a site line past the end date it was kept until', async () => {
    const dir = recipesWith('1.25.x', 'upstreamLines: 2\nlines:\n  - line: "1.25"\n    endOfSupport: "2026-01-31"\n');
    const r = await recipeCheck(dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `${join(dir, 'debian12.yaml')}: go.versions: range 1.25.x is refused by the version policy: ` +
        'line 1.25 reached its end of support on 2026-01-31',
    );
  });

  it.concurrent('accepts a site line kept past upstream support until a later date', async () => {
    const dir = recipesWith('1.25.x', 'upstreamLines: 2\nlines:\n  - line: "1.25"\n    endOfSupport: "2099-01-31"\n');
    expect((await recipeCheck(dir)).code).toBe(0);
  });

  it.concurrent('refuses every bad fixture alone, without network or engine', async () => {
    const fixtures = [
      'goflags-toolexec.yaml',
      'proto-key.yaml',
      'mirror-credentials.yaml',
      'range-star.yaml',
      'newline-in-env.yaml',
    ];
    const dir = scratchDir('bake-check-fixtures-');
    for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml']) copyFileSync(join('recipes', f), join(dir, f));
    for (const f of fixtures) copyFileSync(join('test/fixtures/bad-recipes', f), join(dir, f));
    const r = await recipeCheck(dir);
    expect(r.code).toBe(3);
    for (const f of fixtures) expect(r.stderr).toContain(`${join(dir, f)}: `);
    // The credential of the mirror URL is never echoed back.
    expect(r.stderr).not.toContain('hunter2');
  });
});

// What `bake recipe schema` prints, run once for the two tests that read it.
let schemaRun: Promise<CliRun> | undefined;
const recipeSchema = () => (schemaRun ??= runCliAsync(['recipe', 'schema']));

describe('bake recipe schema', () => {
  it.concurrent('emits the recipe JSON Schema', async () => {
    const r = await recipeSchema();
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.env.properties.GOSUMDB).toBeDefined();
    expect(schema.properties.env.additionalProperties).toBe(false);
  });
});

describe('recipes/recipe.schema.json', () => {
  it.concurrent(
    'is the schema bake emits (regenerate: npx bake recipe schema > recipes/recipe.schema.json)',
    async () => {
      const r = await recipeSchema();
      expect(r.code).toBe(0);
      expect(readFileSync('recipes/recipe.schema.json', 'utf8')).toBe(r.stdout);
    },
  );
});
