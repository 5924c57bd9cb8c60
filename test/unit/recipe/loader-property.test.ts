import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { loadRecipes } from '../../../bake/recipe/load-recipes';

/**
 * The loader on random and mutated input: whatever the YAML, loading ends in success (exit 0)
 * or a RecipeError (exit 3) whose message is bounded, never another exception (which the CLI
 * would print as an internal error with a stack).
 */

const SHIPPED = readFileSync('recipes/debian12.yaml', 'utf8');
const RUNS = Number(process.env.BAKE_PROPERTY_RUNS ?? 300);
const MESSAGE_BOUND = 8000;

const dir = mkdtempSync(join(tmpdir(), 'bake-loader-property-'));
for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml']) copyFileSync(join('recipes', f), join(dir, f));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outcomeOf(text: string): Promise<{ code: number; message: string }> {
  writeFileSync(join(dir, 'fuzzed.yaml'), text);
  try {
    await loadRecipes(dir);
    return { code: ExitCode.Ok, message: '' };
  } catch (err) {
    // Anything but a BakeError escapes here and fails the property with its stack.
    if (!(err instanceof BakeError)) throw err;
    return { code: err.exitCode, message: err.message };
  }
}

function expectClean(outcome: { code: number; message: string }): void {
  expect([ExitCode.Ok, ExitCode.InvalidRecipe]).toContain(outcome.code);
  expect(outcome.message.length).toBeLessThanOrEqual(MESSAGE_BOUND);
  expect(outcome.message).not.toMatch(/^\s+at /m);
}

/** Values of every YAML shape, including hostile keys and strings. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '-rf',
    '$(touch PWNED)',
    '${x}',
    '%{ if }',
    '\n',
    '\u0000',
    '*',
    '1.27.x || ',
    'root',
    'x'.repeat(5000),
  ),
);
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    tie('list'),
    tie('map'),
  ),
  list: fc.array(tie('value'), { maxLength: 4 }),
  map: fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
})).value;

/** The keys of a real recipe, to mutate at any depth. */
const FIELD_PATHS = [
  ['distro'],
  ['version'],
  ['family'],
  ['arches'],
  ['kinds'],
  ['bases', 'amd64'],
  ['go', 'versions'],
  ['go', 'sources'],
  ['go', 'mirror'],
  ['env', 'GOPROXY'],
  ['env', 'GOFLAGS'],
  ['env', 'GONOSUMDB'],
  ['user'],
  ['user', 'name'],
  ['user', 'uid'],
  ['tools'],
  ['packages'],
  ['checks', 'skip'],
  ['vm', 'services'],
  ['name'],
  ['__proto__'],
];

function mutate(recipe: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(recipe);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
    if (!next || typeof next !== 'object' || Array.isArray(next))
      Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe('the recipe loader never fails other than with exit 3 and a bounded message', () => {
  // Each property loads a few hundred recipes from disk: seconds of work, more on a busy machine.
  jest.setTimeout(60_000);
  const base = (require('yaml') as typeof import('yaml')).parse(SHIPPED) as Record<string, unknown>;

  it('on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (text) => expectClean(await outcomeOf(text))),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary YAML documents', async () => {
    await fc.assert(
      fc.asyncProperty(yamlValue, async (value) => expectClean(await outcomeOf(stringify(value)))),
      { numRuns: RUNS },
    );
  });

  it('on the shipped recipe with one field replaced by anything', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELD_PATHS), yamlValue, async (path, value) =>
        expectClean(await outcomeOf(stringify(mutate(base, path, value)))),
      ),
      { numRuns: RUNS },
    );
  });

  it('on the shipped recipe text with bytes cut, repeated or flipped', async () => {
    const edit = fc.record({
      at: fc.nat({ max: SHIPPED.length }),
      cut: fc.nat({ max: 40 }),
      insert: fc.string({ maxLength: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), async (edits) => {
        let text = SHIPPED;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        expectClean(await outcomeOf(text));
      }),
      { numRuns: RUNS },
    );
  });

  // Found by the properties above: keys were echoed whole in field paths.
  it('echoes a key of thousands of characters bounded, in every kind of problem', async () => {
    const long = 'k'.repeat(5000);
    const recipe = (require('yaml') as typeof import('yaml')).parse(SHIPPED) as { vm: Record<string, unknown> };
    recipe.vm = { ...recipe.vm, services: { [long]: 1 }, [`${long}x`]: { a: 'tab\there' } };
    const text = stringify(recipe);
    const outcome = await outcomeOf(text);
    expect(outcome.code).toBe(ExitCode.InvalidRecipe);
    expect(outcome.message).toContain('(5000 characters): unknown key');
    for (const line of outcome.message.split('\n')) expect(line.length).toBeLessThan(400);
  });
});
