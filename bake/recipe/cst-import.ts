import { posix } from 'node:path';
import { compilePattern } from '../common/text-pattern';
import { customCheckSchema } from './custom-check-schema';
import { shownValue } from './recipe-errors';
import type { CheckFinding, CustomCheck } from './types';

/**
 * container-structure-test v2 files (`schemaVersion: 2.0.0`) as bake's custom checks: each
 * command, file-existence and file-content test becomes one check, the metadata test one more.
 * A test bake cannot run with the same meaning (setup commands, mounts, a license test, a
 * field it does not know) is not imported in part: it becomes a finding, listed in every
 * report and by `bake recipe check`, so nothing in the file is silently dropped.
 */
export interface CstTranslation {
  checks: CustomCheck[];
  findings: CheckFinding[];
  /** What makes the whole file unusable (not a mapping, not schema 2). */
  problems: string[];
}

type Kinds = CustomCheck['kinds'];
type Raw = Record<string, unknown>;

const TOP_KEYS = [
  'schemaVersion',
  'globalEnvVars',
  'commandTests',
  'fileExistenceTests',
  'fileContentTests',
  'metadataTest',
  'licenseTests',
  'containerRunOptions',
];
const COMMAND_KEYS = [
  'name',
  'setup',
  'teardown',
  'envVars',
  'exitCode',
  'command',
  'args',
  'expectedOutput',
  'excludedOutput',
  'expectedError',
  'excludedError',
];
const EXISTENCE_KEYS = ['name', 'path', 'shouldExist', 'permissions', 'uid', 'gid', 'isExecutableBy'];
const CONTENT_KEYS = ['name', 'path', 'expectedContents', 'excludedContents'];
const METADATA_KEYS = ['env', 'labels', 'exposedPorts', 'entrypoint', 'cmd', 'workdir', 'volumes', 'user'];
const SHELLS = ['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash'];

/** Thrown inside one test's translation: the test becomes a finding with this reason. */
class Untranslatable extends Error {}

export function translateCst(raw: unknown, origin: string, kinds: Kinds): CstTranslation {
  const out: CstTranslation = { checks: [], findings: [], problems: [] };
  if (!isRaw(raw)) {
    out.problems.push('expected a container-structure-test file (a mapping with schemaVersion: 2.0.0)');
    return out;
  }
  const version = raw.schemaVersion;
  if (typeof version !== 'string' || !/^2\.\d+\.\d+$/.test(version)) {
    out.problems.push(
      `schemaVersion ${version === undefined ? 'is missing' : `is ${shown(version)}`}; ` +
        'bake imports container-structure-test schema 2 files ("2.0.0")',
    );
    return out;
  }
  const stem = slug(posix.basename(origin).replace(/\.(ya?ml|json)$/, '')) || 'suite';
  const ids = new Set<string>();
  const idFor = (name: unknown, fallback: string) => {
    const base = `cst.${stem}.${slug(typeof name === 'string' ? name : '') || fallback}`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const fileFinding = (reason: string) => out.findings.push({ id: `cst.${stem}`, origin, reason, ...kindsOf(kinds) });

  for (const key of Object.keys(raw).filter((k) => !TOP_KEYS.includes(k)))
    fileFinding(`unknown key ${shown(key)} (container-structure-test ignores it; bake does not guess)`);
  for (const [i, test] of list(raw.licenseTests).entries())
    out.findings.push({
      id: idFor(isRaw(test) ? test.name : undefined, `license-${i + 1}`),
      origin,
      reason: 'licenseTests are not imported: bake has no license check (use a file check on /usr/share/doc)',
      ...kindsOf(kinds),
    });
  const runOptions = isRaw(raw.containerRunOptions) ? raw.containerRunOptions : {};
  for (const key of Object.keys(runOptions).filter((k) => k !== 'user'))
    fileFinding(
      `containerRunOptions.${key} is not supported: checks run in one container without network, ` +
        'extra privileges, mounts or host variables',
    );
  const runUser = typeof runOptions.user === 'string' ? runOptions.user : undefined;
  const globalEnv = envList(raw.globalEnvVars, 'globalEnvVars');

  const attempt = (test: unknown, id: string, build: (t: Raw) => CustomCheck) => {
    try {
      if (!isRaw(test)) throw new Untranslatable('a test is a mapping');
      const parsed = customCheckSchema.safeParse(build(test));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Untranslatable(`${issue.path.join('.') || 'test'}: ${issue.message}`);
      }
      out.checks.push({ ...parsed.data, origin });
    } catch (err) {
      if (!(err instanceof Untranslatable)) throw err;
      out.findings.push({ id, origin, reason: err.message, ...kindsOf(kinds) });
    }
  };

  for (const [i, test] of list(raw.commandTests).entries()) {
    const id = idFor(isRaw(test) ? test.name : undefined, `command-${i + 1}`);
    attempt(test, id, (t) => commandTest(t, id, kinds, globalEnv, runUser));
  }
  for (const [i, test] of list(raw.fileExistenceTests).entries()) {
    const id = idFor(isRaw(test) ? test.name : undefined, `file-${i + 1}`);
    attempt(test, id, (t) => fileExistenceTest(t, id, kinds));
  }
  for (const [i, test] of list(raw.fileContentTests).entries()) {
    const id = idFor(isRaw(test) ? test.name : undefined, `content-${i + 1}`);
    attempt(test, id, (t) => fileContentTest(t, id, kinds));
  }
  if (isRaw(raw.metadataTest) && Object.keys(raw.metadataTest).length) {
    const id = idFor('metadata', 'metadata');
    attempt(raw.metadataTest, id, (t) => metadataTest(t, id, kinds));
  }
  return out;
}

const kindsOf = (kinds: Kinds) => (kinds ? { kinds } : {});

function commandTest(
  t: Raw,
  id: string,
  kinds: Kinds,
  globalEnv: Record<string, string>,
  user: string | undefined,
): CustomCheck {
  unknownKeys(t, COMMAND_KEYS);
  if (list(t.setup).length || list(t.teardown).length)
    throw new Untranslatable(
      'setup and teardown commands are not imported: every check runs in one shared container ' +
        '(build what the test needs into the image, or run it in the command)',
    );
  const command = text(t.command, 'command');
  const argv = [command, ...list(t.args).map((a, i) => text(a, `args.${i}`))];
  if (!SHELLS.includes(command) && argv.some((a) => /\$\{?[A-Za-z_]/.test(a)))
    throw new Untranslatable(
      'the arguments refer to $VARIABLES, which container-structure-test substitutes from the image ' +
        'config; bake runs argv as written (run it through sh -c to expand them)',
    );
  const stdout = outputMatch(t.expectedOutput, t.excludedOutput, 'expectedOutput', 'excludedOutput');
  const stderr = outputMatch(t.expectedError, t.excludedError, 'expectedError', 'excludedError');
  const env = { ...globalEnv, ...envList(t.envVars, 'envVars') };
  return {
    id,
    description: describe('command test', t.name),
    kind: 'command',
    ...(kinds ? { kinds } : {}),
    command: argv,
    ...(user ? { user } : {}),
    ...(Object.keys(env).length ? { env } : {}),
    exitCode: t.exitCode === undefined ? 0 : integer(t.exitCode, 'exitCode'),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
  };
}

function fileExistenceTest(t: Raw, id: string, kinds: Kinds): CustomCheck {
  unknownKeys(t, EXISTENCE_KEYS);
  const path = filePath(t.path);
  const exists = t.shouldExist === undefined ? true : bool(t.shouldExist, 'shouldExist');
  const spec: Raw = { id, description: describe('file existence test', t.name), kind: 'file', path, exists };
  if (kinds) spec.kinds = kinds;
  if (!exists) {
    if (t.permissions !== undefined || t.isExecutableBy !== undefined || owned(t.uid) || owned(t.gid))
      throw new Untranslatable('permissions or ownership of a file that should not exist');
    return spec as CustomCheck;
  }
  if (t.permissions !== undefined) Object.assign(spec, permissions(text(t.permissions, 'permissions')));
  if (owned(t.uid)) spec.owner = integer(t.uid, 'uid');
  if (owned(t.gid)) spec.group = integer(t.gid, 'gid');
  if (t.isExecutableBy !== undefined) {
    const by = text(t.isExecutableBy, 'isExecutableBy');
    if (!['any', 'owner', 'group', 'other'].includes(by))
      throw new Untranslatable(`isExecutableBy ${shown(by)} is not one of any, owner, group, other`);
    spec.executableBy = by;
  }
  return spec as CustomCheck;
}

function fileContentTest(t: Raw, id: string, kinds: Kinds): CustomCheck {
  unknownKeys(t, CONTENT_KEYS);
  const content = outputMatch(t.expectedContents, t.excludedContents, 'expectedContents', 'excludedContents');
  if (!content) throw new Untranslatable('neither expectedContents nor excludedContents: nothing to check');
  return {
    id,
    description: describe('file content test', t.name),
    kind: 'file',
    ...(kinds ? { kinds } : {}),
    path: filePath(t.path),
    content,
  };
}

function metadataTest(t: Raw, id: string, kinds: Kinds): CustomCheck {
  unknownKeys(t, METADATA_KEYS);
  if (kinds?.includes('vm')) throw new Untranslatable('a VM template has no image config for a metadata test');
  const spec: Raw = { id, description: 'container-structure-test metadata test', kind: 'metadata' };
  if (kinds) spec.kinds = kinds;
  const pairs = (value: unknown, field: string) =>
    Object.fromEntries(
      list(value).map((p, i) => {
        if (!isRaw(p)) throw new Untranslatable(`${field}.${i}: expected {key, value}`);
        const value = text(p.value ?? '', `${field}.${i}.value`);
        if (p.isRegex === true) regex(value, `${field}.${i}.value`);
        return [text(p.key, `${field}.${i}.key`), p.isRegex === true ? { matches: value } : value];
      }),
    );
  if (t.env !== undefined) spec.env = pairs(t.env, 'env');
  if (t.labels !== undefined) spec.labels = pairs(t.labels, 'labels');
  if (t.exposedPorts !== undefined)
    spec.exposedPorts = list(t.exposedPorts).map((p, i) => text(p, `exposedPorts.${i}`));
  if (t.volumes !== undefined) spec.volumes = list(t.volumes).map((v, i) => text(v, `volumes.${i}`));
  if (t.entrypoint !== undefined) spec.entrypoint = list(t.entrypoint).map((v, i) => text(v, `entrypoint.${i}`));
  if (t.cmd !== undefined) spec.cmd = list(t.cmd).map((v, i) => text(v, `cmd.${i}`));
  if (typeof t.workdir === 'string' && t.workdir !== '') spec.workdir = t.workdir;
  if (typeof t.user === 'string' && t.user !== '') spec.user = t.user;
  return spec as CustomCheck;
}

/** Go's FileMode.String(): type letters (none for a file), then rwx for owner, group, other. */
function permissions(value: string): Raw {
  const m = /^([dalTLDpSugct?]*|-)([r-][w-][x-][r-][w-][x-][r-][w-][x-])$/.exec(value);
  if (!m) throw new Untranslatable(`permissions ${shown(value)} is not a mode string such as "-rw-r--r--"`);
  const letters = m[1] === '-' ? '' : m[1];
  const unsupported = [...letters].filter((c) => !'dugt'.includes(c));
  if (unsupported.length)
    throw new Untranslatable(
      `permissions ${shown(value)}: the file type ${shown(unsupported.join(''))} is not checked by bake ` +
        '(file checks follow symbolic links and see files and directories)',
    );
  let mode = 0;
  [...m[2]].forEach((c, i) => {
    if (c !== '-') mode |= 1 << (8 - i);
  });
  if (letters.includes('u')) mode |= 0o4000;
  if (letters.includes('g')) mode |= 0o2000;
  if (letters.includes('t')) mode |= 0o1000;
  return { type: letters.includes('d') ? 'directory' : 'file', mode: `0${mode.toString(8).padStart(3, '0')}` };
}

/** expected/excluded regular expressions, as container-structure-test matches them (unanchored). */
function outputMatch(expected: unknown, excluded: unknown, expectedName: string, excludedName: string) {
  const want = list(expected).map((p, i) => regex(text(p, `${expectedName}.${i}`), `${expectedName}.${i}`));
  const not = list(excluded).map((p, i) => regex(text(p, `${excludedName}.${i}`), `${excludedName}.${i}`));
  if (!want.length && !not.length) return undefined;
  return { ...(want.length ? { matches: want } : {}), ...(not.length ? { notMatches: not } : {}) };
}

function regex(source: string, field: string): string {
  try {
    compilePattern(source);
  } catch (err) {
    throw new Untranslatable(`${field}: ${(err as Error).message} (container-structure-test uses Go's RE2 syntax)`);
  }
  return source;
}

function envList(value: unknown, field: string): Record<string, string> {
  return Object.fromEntries(
    list(value).map((p, i) => {
      if (!isRaw(p)) throw new Untranslatable(`${field}.${i}: expected {key, value}`);
      return [text(p.key, `${field}.${i}.key`), text(p.value ?? '', `${field}.${i}.value`)];
    }),
  );
}

function filePath(value: unknown): string {
  const path = text(value, 'path');
  if (path.includes('$'))
    throw new Untranslatable(
      'the path refers to $VARIABLES, which container-structure-test substitutes; bake does not',
    );
  return path;
}

function unknownKeys(t: Raw, known: string[]): void {
  const unknown = Object.keys(t).filter((k) => !known.includes(k));
  if (unknown.length) throw new Untranslatable(`unknown field ${unknown.map(shown).join(', ')}`);
}

/** uid/gid left out (or container-structure-test's -1 default) means "not checked". */
const owned = (v: unknown) => v !== undefined && v !== -1;

function text(value: unknown, field: string): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new Untranslatable(`${field}: expected text`);
  return value;
}

function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new Untranslatable(`${field}: expected a non-negative integer`);
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Untranslatable(`${field}: expected true or false`);
  return value;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(kind: string, name: unknown): string {
  const label = typeof name === 'string' && name.trim() ? name.trim() : '(unnamed)';
  return `container-structure-test ${kind}: ${label}`.slice(0, 200);
}

/** Lowercase words joined by "-": what a test's name contributes to its check id. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function shown(value: unknown): string {
  return typeof value === 'string' ? shownValue(value) : String(JSON.stringify(value)).slice(0, 60);
}
