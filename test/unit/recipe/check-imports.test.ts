import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { translateCst } from '../../../bake/recipe/cst-import';
import { expandTargets } from '../../../bake/recipe/expand-targets';
import { loadRecipes } from '../../../bake/recipe/load-recipes';
import { RecipeError } from '../../../bake/recipe/recipe-errors';
import { scratchDir } from '../scratch-dir';

/** The shipped recipes directory with debian12's checks replaced by `checks` (YAML). */
function recipesWith(checks: string, files: Record<string, string> = {}): string {
  const dir = scratchDir('bake-check-imports-');
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml']) copyFileSync(join('recipes', f), join(dir, f));
  copyFileSync('recipes/debian12.yaml', join(dir, 'debian12.yaml'));
  writeFileSync(join(dir, 'debian12.yaml'), `checks:\n  extra: []\n${checks}\n`, { flag: 'a' });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const STRUCTURE = `schemaVersion: 2.0.0
globalEnvVars:
  - { key: LC_ALL, value: C }
commandTests:
  - name: "Go is 1.27"
    command: go
    args: [version]
    expectedOutput: ['go1\\.27\\.\\d+']
    excludedError: ['(?i)warning']
  - name: needs setup
    setup: [[touch, /tmp/x]]
    command: ls
fileExistenceTests:
  - name: tmp is sticky
    path: /tmp
    permissions: dtrwxrwxrwx
    uid: 0
  - name: go binary
    path: /usr/local/go/bin/go
    permissions: -rwxr-xr-x
    isExecutableBy: other
  - name: no netrc
    path: /root/.netrc
    shouldExist: false
fileContentTests:
  - name: os-release
    path: /etc/os-release
    expectedContents: ['ID=debian']
    excludedContents: ['ID=ubuntu']
metadataTest:
  env: [{ key: GOTOOLCHAIN, value: local }]
  labels: [{ key: io.bake.kind, value: 'tool.*', isRegex: true }]
  exposedPorts: []
  workdir: /home/gobuild
licenseTests:
  - debian: true
`;

describe('container-structure-test import', () => {
  it('translates each test into a custom check, and reports what it cannot translate', () => {
    const { parse } = require('yaml') as typeof import('yaml');
    const out = translateCst(parse(STRUCTURE), 'tests/structure.yaml', undefined);
    expect(out.problems).toEqual([]);
    expect(out.checks.map((c) => c.id)).toEqual([
      'cst.structure.go-is-1-27',
      'cst.structure.tmp-is-sticky',
      'cst.structure.go-binary',
      'cst.structure.no-netrc',
      'cst.structure.os-release',
      'cst.structure.metadata',
    ]);
    expect(out.checks[0]).toEqual({
      id: 'cst.structure.go-is-1-27',
      description: 'container-structure-test command test: Go is 1.27',
      kind: 'command',
      command: ['go', 'version'],
      env: { LC_ALL: 'C' },
      exitCode: 0,
      stdout: { matches: ['go1\\.27\\.\\d+'] },
      stderr: { notMatches: ['(?i)warning'] },
      origin: 'tests/structure.yaml',
    });
    expect(out.checks[1]).toMatchObject({ kind: 'file', path: '/tmp', type: 'directory', mode: '01777', owner: 0 });
    expect(out.checks[2]).toMatchObject({ type: 'file', mode: '0755', executableBy: 'other' });
    expect(out.checks[3]).toMatchObject({ exists: false });
    expect(out.checks[4]).toMatchObject({ content: { matches: ['ID=debian'], notMatches: ['ID=ubuntu'] } });
    expect(out.checks[5]).toMatchObject({
      kind: 'metadata',
      env: { GOTOOLCHAIN: 'local' },
      labels: { 'io.bake.kind': { matches: 'tool.*' } },
      workdir: '/home/gobuild',
    });
    expect(out.findings.map((f) => [f.id, f.reason.split(':')[0]])).toEqual([
      ['cst.structure.license-1', 'licenseTests are not imported'],
      ['cst.structure.needs-setup', 'setup and teardown commands are not imported'],
    ]);
  });

  it('refuses a file that is not schema 2, and reports unknown fields, mounts and foreign regex syntax', () => {
    expect(translateCst({ schemaVersion: '1.0.0' }, 's.yaml', undefined).problems[0]).toMatch(
      /schemaVersion is "1.0.0"; bake imports container-structure-test schema 2 files/,
    );
    expect(translateCst(['a'], 's.yaml', undefined).problems[0]).toMatch(/expected a container-structure-test file/);
    const out = translateCst(
      {
        schemaVersion: '2.0.0',
        containerRunOptions: { user: 'gobuild', privileged: true, bindMounts: ['/:/host'] },
        commandTests: [
          { name: 'posix class', command: 'ls', expectedOutput: ['[[:digit:]]'] },
          { name: 'typo', command: 'ls', expectedOuptut: ['x'] },
          { name: 'env in args', command: 'echo', args: ['$HOME'] },
          { name: 'as user', command: 'id' },
        ],
        fileExistenceTests: [{ name: 'link', path: '/bin', permissions: 'Lrwxrwxrwx' }],
      },
      's.yaml',
      ['toolchain', 'runtime'],
    );
    expect(out.checks).toEqual([
      expect.objectContaining({ id: 'cst.s.as-user', user: 'gobuild', kinds: ['toolchain', 'runtime'] }),
    ]);
    expect(out.findings.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^containerRunOptions.privileged is not supported/),
      expect.stringMatching(/^containerRunOptions.bindMounts is not supported/),
      expect.stringMatching(/^expectedOutput.0: POSIX classes/),
      'unknown field "expectedOuptut"',
      expect.stringMatching(/refer to \$VARIABLES/),
      expect.stringMatching(/the file type "L" is not checked by bake/),
    ]);
    expect(out.findings.every((f) => f.kinds?.join() === 'toolchain,runtime')).toBe(true);
  });
});

const INSIDE = 'an imported suite must be a file inside the recipes directory';

describe('recipes with custom checks, imports and waivers', () => {
  it('load: the target carries its checks, the imported ones after the recipe own, and its waivers', async () => {
    const dir = recipesWith(
      `  skip: []
  custom:
    - { id: site.git, description: git runs, kind: command, command: [git, --version] }
  import: [tests/structure.yaml]
  waive:
    - { id: cst.structure.os-release, reason: "PLAT-7: os-release is rewritten later", until: "2027-03-01" }`,
      { 'tests/structure.yaml': STRUCTURE },
    );
    const { recipes, warnings } = await loadRecipes(dir);
    const target = expandTargets(recipes).find((t) => t.name === 'debian12-amd64')!;
    expect(target.checks.custom?.map((c) => c.id)).toEqual([
      'site.git',
      'cst.structure.go-is-1-27',
      'cst.structure.tmp-is-sticky',
      'cst.structure.go-binary',
      'cst.structure.no-netrc',
      'cst.structure.os-release',
      'cst.structure.metadata',
    ]);
    expect(target.checks.waive).toEqual([
      { id: 'cst.structure.os-release', reason: 'PLAT-7: os-release is rewritten later', until: '2027-03-01' },
    ]);
    expect(target.checks.findings?.map((f) => f.id)).toEqual(['cst.structure.license-1', 'cst.structure.needs-setup']);
    expect(warnings.map((w) => `${w.path}: ${w.message.split(': ').slice(0, 3).join(': ')}`)).toEqual([
      'checks.import.0: tests/structure.yaml: cst.structure.license-1 not imported: licenseTests are not imported',
      'checks.import.0: tests/structure.yaml: cst.structure.needs-setup not imported: ' +
        'setup and teardown commands are not imported',
    ]);
  });

  it('a recipe without custom checks keeps the target it had (so its inputs digest is unchanged)', async () => {
    const { recipes } = await loadRecipes(recipesWith('  skip: []'));
    expect(expandTargets(recipes)[0].checks).toEqual({ extra: [], skip: [] });
  });

  it('a permanent skip keeps working with a warning; --strict refuses it', async () => {
    const dir = recipesWith('  skip: [go.login-shell]');
    const { recipes, warnings } = await loadRecipes(dir);
    expect(expandTargets(recipes)[0].checks.skip).toEqual(['go.login-shell']);
    expect(warnings).toEqual([
      expect.objectContaining({
        path: 'checks.skip.0',
        message: expect.stringMatching(
          /^"go.login-shell" is skipped for good, with no reason or end date; write checks.waive/,
        ),
      }),
    ]);
    const strict = await loadRecipes(dir, { strict: true }).catch((e: unknown) => e);
    expect(strict).toBeInstanceOf(RecipeError);
    expect((strict as RecipeError).message).toMatch(
      /checks.skip.0: "go.login-shell" is skipped for good.*\(--strict\)/,
    );
  });

  it('refuses an import through a symbolic link, a link on the way, a directory, a FIFO and a huge file', async () => {
    const dir = recipesWith(
      `  skip: []
  import: [tests/link.yaml, linked/structure.yaml, tests/adir.yaml, tests/big.yaml, structure.yaml]`,
      { 'real/structure.yaml': STRUCTURE, 'tests/big.yaml': `schemaVersion: 2.0.0\n# ${'x'.repeat(300 * 1024)}\n` },
    );
    symlinkSync(join(dir, 'real/structure.yaml'), join(dir, 'tests/link.yaml'));
    symlinkSync(join(dir, 'real'), join(dir, 'linked'));
    mkdirSync(join(dir, 'tests/adir.yaml'));
    const err = (await loadRecipes(dir).catch((e: unknown) => e)) as RecipeError;
    expect(err).toBeInstanceOf(RecipeError);
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'checks.import.4: a file in a folder of the recipes directory, such as "tests/structure.yaml" ' +
        '(top-level files are recipes)',
    ]);
    const reading = recipesWith(
      `  skip: []
  import: [tests/link.yaml, linked/structure.yaml, tests/adir.yaml, tests/big.yaml, tests/fifo.yaml]`,
      { 'real/structure.yaml': STRUCTURE, 'tests/big.yaml': `schemaVersion: 2.0.0\n# ${'x'.repeat(300 * 1024)}\n` },
    );
    symlinkSync(join(reading, 'real/structure.yaml'), join(reading, 'tests/link.yaml'));
    symlinkSync(join(reading, 'real'), join(reading, 'linked'));
    mkdirSync(join(reading, 'tests/adir.yaml'));
    execFileSync('mkfifo', [join(reading, 'tests/fifo.yaml')]);
    const refused = (await loadRecipes(reading).catch((e: unknown) => e)) as RecipeError;
    expect(refused.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      `checks.import.0: "tests/link.yaml" is a symbolic link; ${INSIDE}`,
      `checks.import.1: "linked/structure.yaml" linked is a symbolic link; ${INSIDE}`,
      'checks.import.2: "tests/adir.yaml" is a directory',
      `checks.import.3: "tests/big.yaml" is larger than ${256 * 1024} bytes`,
      'checks.import.4: "tests/fifo.yaml" is not a regular file',
    ]);
  });

  it('an imported file that is not valid YAML or not schema 2 is a recipe problem naming the file', async () => {
    const dir = recipesWith('  skip: []\n  import: [t/a.yaml, t/b.yaml]', {
      't/a.yaml': 'schemaVersion: [unclosed\n',
      't/b.yaml': 'commandTests: []\n',
    });
    const err = (await loadRecipes(dir).catch((e: unknown) => e)) as RecipeError;
    expect(err.message).toMatch(/a\.yaml: line \d+: YAML: /);
    expect(err.message).toMatch(/debian12\.yaml: checks\.import\.1: t\/b\.yaml: schemaVersion is missing/);
  });

  it('waivers must name a check that runs, once, and not a skipped one', async () => {
    const dir = recipesWith(
      `  skip: [go.login-shell]
  import: [t/s.yaml]
  waive:
    - { id: go.login-shell, reason: "PLAT-1 reason", until: "2027-01-01" }
    - { id: cst.s.needs-setup, reason: "PLAT-2 reason", until: "2027-01-01" }
    - { id: secrets.none, reason: "PLAT-3 reason", until: "2027-01-01" }
    - { id: secrets.none, reason: "PLAT-4 reason", until: "2027-02-01" }`,
      { 't/s.yaml': 'schemaVersion: 2.0.0\ncommandTests:\n  - { name: needs setup, setup: [[ls]], command: ls }\n' },
    );
    const err = (await loadRecipes(dir).catch((e: unknown) => e)) as RecipeError;
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'checks.waive.0.id: "go.login-shell" is also in checks.skip; a waived check runs, a skipped one does not',
      'checks.waive.3.id: "secrets.none" is already waived by entry 2',
    ]);
    const second = recipesWith(
      `  skip: []
  import: [t/s.yaml]
  waive:
    - { id: cst.s.needs-setup, reason: "PLAT-2 reason", until: "2027-01-01" }`,
      { 't/s.yaml': 'schemaVersion: 2.0.0\ncommandTests:\n  - { name: needs setup, setup: [[ls]], command: ls }\n' },
    );
    expect(((await loadRecipes(second).catch((e: unknown) => e)) as RecipeError).message).toMatch(
      /checks\.waive\.0\.id: "cst\.s\.needs-setup" was not imported \(setup and teardown.*nothing to waive/,
    );
  });
});
