import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir';

// Runs the compiled CLI exactly as users do (`npm test` compiles it first).
function bake(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/bake.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BAKE_CACHE_DIR: scratchDir('bake-cli-cache-') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const COMMANDS = [
  [],
  ['list'],
  ['plan'],
  ['base'],
  ['base', 'update'],
  ['outdated'],
  ['render'],
  ['build'],
  ['verify'],
  ['nightly'],
  ['registry'],
  ['registry', 'ls'],
  ['registry', 'show'],
  ['registry', 'pin'],
  ['registry', 'prune'],
  ['ami'],
  ['doctor'],
  ['go'],
  ['go', 'mirror'],
  ['recipe'],
  ['recipe', 'check'],
  ['recipe', 'schema'],
];

describe('bake CLI', () => {
  it.each(COMMANDS.map((c) => [c.join(' ') || '(top)', c]))('prints --help for %s', (_name, command) => {
    const r = bake(...command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bake/);
  });

  it('lists the 12 targets as JSON without network', () => {
    const r = bake('list', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { target: string; policy: { status: string } }[];
    expect(rows).toHaveLength(12);
    expect(rows.every((row) => row.policy.status === 'supported' || row.policy.status === 'expiring')).toBe(true);
  });

  it('rejects a bad recipe with exit code 3, file and field, and no stack trace', () => {
    const dir = scratchDir('bake-cli-recipes-');
    copyFileSync('recipes/defaults.yaml', join(dir, 'defaults.yaml'));
    copyFileSync('recipes/policy.yaml', join(dir, 'policy.yaml'));
    copyFileSync('test/fixtures/bad-recipes/gosumdb-off.yaml', join(dir, 'gosumdb-off.yaml'));
    const r = bake('list', '--recipes', dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('gosumdb-off.yaml: env.GOSUMDB: GOSUMDB "off" disables checksum verification');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  });

  it('names the unknown target and exits 2', () => {
    const r = bake('plan', 'gentoo1-amd64');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "gentoo1-amd64"');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('emits the recipe JSON Schema', () => {
    const r = bake('recipe', 'schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.properties.env.properties.GOSUMDB).toBeDefined();
    expect(schema.properties.env.additionalProperties).toBe(false);
  });
});

describe('recipes/recipe.schema.json', () => {
  it('is the schema bake emits (regenerate: npx bake recipe schema > recipes/recipe.schema.json)', () => {
    const r = bake('recipe', 'schema');
    expect(r.code).toBe(0);
    expect(readFileSync('recipes/recipe.schema.json', 'utf8')).toBe(r.stdout);
  });
});

describe('bake build: usage errors before anything runs', () => {
  it('needs target names or --all', () => {
    const r = bake('build');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bake: name the targets to build, or pass --all\nhint: bake list shows the targets\n');
  });

  it('refuses a bad --concurrency', () => {
    const r = bake('build', 'debian12-amd64', '--concurrency', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency: expected a whole number of 1 or more, got "0"');
  });

  it.each([
    ['--cache-to', 'reg.example:5000/cache:v1', 'names a tag or digest'],
    ['--cache-from', 'reg.example/cache@sha256:' + '0'.repeat(64), 'names a tag or digest'],
    ['--cache-to', '-reg/cache', 'is not a registry repository'],
    ['--cache-from', 'cache', 'is not a registry repository'],
  ])('refuses %s %s before any work', (flag, value, problem) => {
    const r = bake('build', 'debian12-amd64', flag, value);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`bake: ${flag}: ${JSON.stringify(value)} ${problem}`);
  });
});
