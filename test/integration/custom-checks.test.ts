import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ExitCode } from '../../bake/common/errors';
import type { TargetResult } from '../../bake/pipeline/types';
import type { CheckResult, Report } from '../../bake/readiness/types';
import type { OutdatedReport } from '../../bake/nightly/types';
import { readJUnit } from '../unit/common/junit-reader';
import { bake } from '../support/bake-cli';
import { runInImage } from '../support/run-in-image';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * A site's own readiness checks, end to end on the real engine: debian12-amd64 baked once with
 * passing checks of every kind and matcher, an imported container-structure-test file and a
 * waiver in force (vetted); the same recipe with the waiver expired (rejected: no vetted tag,
 * JUnit names the check); and the failing variant of every kind and matcher, with hostile
 * checks, run by `bake verify` against the image already built. Heavy built-in checks are
 * skipped with the old permanent `checks.skip` (which also shows its warning): they are not
 * what this file tests.
 */
const run = randomBytes(3).toString('hex');
const prefix = (what: string) => `bake-test-${run}-${what}`;
const engine = testEngine();
const scratch = mkdtempSync(join(tmpdir(), 'bake-custom-checks-'));
const common = () => ['--go-source', 'debian', '--engine', services().engine.endpoint];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const IN_TEN_DAYS = day(10);
const YESTERDAY = day(-1);
const SKIPPED = ['binary.static', 'secrets.none'];

const STRUCTURE = {
  schemaVersion: '2.0.0',
  commandTests: [
    { name: 'go runs', command: 'go', args: ['version'], expectedOutput: ['go1\\.27\\.\\d+ linux/amd64'] },
    { name: 'needs setup', setup: [['touch', '/tmp/x']], command: 'ls', args: ['/tmp/x'] },
  ],
  fileExistenceTests: [{ name: 'tmp is sticky', path: '/tmp', permissions: 'dtrwxrwxrwx', uid: 0, gid: 0 }],
  fileContentTests: [{ name: 'os release', path: '/etc/os-release', expectedContents: ['ID=debian'] }],
  metadataTest: {
    env: [{ key: 'GOTOOLCHAIN', value: 'local' }],
    labels: [{ key: 'io.bake.kind', value: 'tool.*', isRegex: true }],
  },
};

/** Every kind and every matcher, each written to pass on the toolchain image. */
const PASSING = [
  { id: 'site.cmd-equals', kind: 'command', command: ['go', 'env', 'GOTOOLCHAIN'], stdout: { equals: 'local' } },
  {
    id: 'site.cmd-matchers',
    kind: 'command',
    command: ['git', '--version'],
    stdout: {
      contains: 'git version',
      notContains: 'windows',
      matches: '^git version \\d+\\.\\d+',
      notMatches: 'rc\\d',
    },
    stderr: { equals: '' },
  },
  {
    id: 'site.cmd-shell-user-env',
    kind: 'command',
    shell: true,
    command: 'id -un; echo "greeting=$SITE_GREETING"',
    user: 'gobuild',
    env: { SITE_GREETING: 'hello world' },
    stdout: { contains: ['gobuild', 'greeting=hello world'] },
  },
  { id: 'site.cmd-exit-code', kind: 'command', command: ['sh', '-c', 'exit 3'], exitCode: 3 },
  {
    id: 'site.cmd-hostile-argv',
    kind: 'command',
    command: ['echo', '$(touch /tmp/pwned); `touch /tmp/pwned` && touch /tmp/pwned | x > y'],
    stdout: { equals: '$(touch /tmp/pwned); `touch /tmp/pwned` && touch /tmp/pwned | x > y' },
  },
  { id: 'site.no-pwned', kind: 'file', path: '/tmp/pwned', exists: false },
  {
    id: 'site.file-ca',
    kind: 'file',
    path: '/etc/ssl/certs/ca-certificates.crt',
    type: 'file',
    mode: '0644',
    owner: 'root',
    group: 0,
    content: { contains: 'BEGIN CERTIFICATE', notContains: 'PRIVATE KEY' },
  },
  { id: 'site.file-home', kind: 'file', path: '/home/gobuild', type: 'directory', owner: 'gobuild', mode: '0755' },
  { id: 'site.file-go', kind: 'file', path: '/usr/local/go/bin/go', executableBy: 'other', owner: 0 },
  {
    id: 'site.file-os-release',
    kind: 'file',
    path: '/etc/os-release',
    content: { matches: '(?m)^ID=debian$', notMatches: '(?m)^ID=ubuntu$' },
  },
  { id: 'site.env-go', kind: 'env', source: 'go', name: 'GOFLAGS', value: { contains: '-mod=readonly' } },
  { id: 'site.env-process', kind: 'env', source: 'process', name: 'GOTOOLCHAIN', value: 'local' },
  {
    id: 'site.env-process-user',
    kind: 'env',
    source: 'process',
    name: 'HOME',
    user: 'gobuild',
    value: { equals: '/home/gobuild' },
  },
  {
    id: 'site.metadata',
    kind: 'metadata',
    labels: { 'io.bake.recipe': 'debian12', 'io.bake.go.version': { matches: '^1\\.27\\.' } },
    env: { GOTOOLCHAIN: 'local' },
    user: '10001:10001',
    workdir: '/home/gobuild',
    entrypoint: [],
  },
  { id: 'site.version-semver', kind: 'version', command: ['git', '--version'], range: '>=2.39.0 <3' },
  {
    id: 'site.version-debian',
    kind: 'version',
    command: ['dpkg-query', '-W', '-f', '${Version}', 'git'],
    scheme: 'debian',
    range: '>= 1:2.39, << 1:3',
  },
  {
    id: 'site.version-rpm',
    kind: 'version',
    command: ['go', 'env', 'GOVERSION'],
    pattern: 'go(\\S+)',
    scheme: 'rpm',
    range: '>= 1.27, < 2',
  },
  // Fails on purpose, under a waiver: it runs, and is recorded as waived.
  { id: 'site.waived', kind: 'command', command: ['sh', '-c', 'echo legacy; exit 1'] },
  // The runtime image: no program needed for these.
  {
    id: 'site.runtime-ca',
    kind: 'file',
    kinds: ['runtime'],
    path: '/etc/ssl/certs/ca-certificates.crt',
    type: 'file',
    content: { contains: 'BEGIN CERTIFICATE' },
  },
  { id: 'site.runtime-kind', kind: 'metadata', kinds: ['runtime'], labels: { 'io.bake.kind': 'runtime' } },
].map((c) => ({ description: `${c.id} holds`, ...c }));

/** A recipes directory: the shipped defaults, policy and lock, debian12 with `checks` and `extra`. */
function recipesDir(name: string, checks: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'tests'), { recursive: true });
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml']) copyFileSync(join('recipes', f), join(dir, f));
  const recipe = parse(readFileSync('recipes/debian12.yaml', 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'debian12.yaml'), stringify({ ...recipe, ...extra, checks: { extra: [], ...checks } }));
  writeFileSync(join(dir, 'tests', 'structure.yaml'), stringify(STRUCTURE));
  return dir;
}

const waiver = (until: string) => ({ id: 'site.waived', reason: 'PLAT-42: legacy tool until the Q1 cut-over', until });
const goodRecipes = () =>
  recipesDir('good', {
    skip: SKIPPED,
    custom: PASSING,
    import: ['tests/structure.yaml'],
    waive: [waiver(IN_TEN_DAYS)],
  });

const byId = (report: Report) =>
  Object.fromEntries(report.results.map((r) => [r.id, r])) as Record<string, CheckResult>;
const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Report;

async function tagsUnder(tagPrefix: string): Promise<string[]> {
  return (await engine.docker.listImages())
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`${tagPrefix}/`))
    .sort();
}

afterAll(async () => {
  const tags = (await engine.docker.listImages())
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`bake-test-${run}-`));
  for (const tag of tags) await engine.removeImage(tag);
  rmSync(scratch, { recursive: true, force: true });
});

describe('custom checks on debian12-amd64', () => {
  let toolchainImage: string;

  test('a recipe with checks of every kind, an imported suite and a waiver in force bakes and is vetted', async () => {
    const recipes = goodRecipes();
    const reports = join(scratch, 'reports-good');
    const r = await bake([
      'build',
      'debian12-amd64',
      '--recipes',
      recipes,
      ...common(),
      '--tag-prefix',
      prefix('good'),
      '--report',
      reports,
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    const [result] = JSON.parse(r.stdout) as TargetResult[];
    expect(result.images.map((i) => [i.kind, i.status])).toEqual([
      ['toolchain', 'vetted'],
      ['runtime', 'vetted'],
    ]);
    // The permanent skip still works, with a warning; the untranslatable CST test is reported too.
    expect(r.stderr).toMatch(/warning: .*debian12\.yaml: checks\.skip\.0: "binary\.static" is skipped for good/);
    expect(r.stderr).toMatch(/warning: .*checks\.import\.0: tests\/structure\.yaml: cst\.structure\.needs-setup not/);

    const toolchain = readReport(join(reports, 'debian12-amd64', 'toolchain', 'report.json'));
    const results = byId(toolchain);
    const toolchainIds = PASSING.filter((c) => !c.kinds).map((c) => c.id);
    for (const id of toolchainIds.filter((i) => i !== 'site.waived'))
      expect([id, results[id]?.status, results[id]?.reason]).toEqual([id, 'pass', expect.any(String)]);
    expect(results['site.waived']).toMatchObject({
      status: 'waived',
      reason: `waived until ${IN_TEN_DAYS} (${waiver(IN_TEN_DAYS).reason}): exit 1, expected 0`,
      waiver: { effect: 'applied', until: IN_TEN_DAYS },
    });
    expect(results['site.waived'].evidence[0].output).toBe('exit 1\nlegacy');
    expect(results['site.version-debian'].reason).toMatch(/^1:2\.39\.\d+-\S+ is in >= 1:2\.39, << 1:3$/);
    expect(results['site.cmd-hostile-argv'].evidence[0].output).toBe(
      'exit 0\n$(touch /tmp/pwned); `touch /tmp/pwned` && touch /tmp/pwned | x > y',
    );
    // The imported suite ran as checks of its own, named after the file and the test.
    for (const id of ['cst.structure.go-runs', 'cst.structure.tmp-is-sticky', 'cst.structure.os-release'])
      expect([id, results[id]?.status, results[id]?.origin]).toEqual([id, 'pass', 'tests/structure.yaml']);
    expect(results['cst.structure.metadata'].status).toBe('pass');
    expect(toolchain.skipped).toEqual([
      { id: 'binary.static', reason: 'skipped by recipe debian12 (checks.skip, for good: no reason, no end date)' },
      { id: 'secrets.none', reason: 'skipped by recipe debian12 (checks.skip, for good: no reason, no end date)' },
      {
        id: 'cst.structure.needs-setup',
        reason: expect.stringMatching(/^not imported from tests\/structure.yaml: setup/),
      },
    ]);
    const junit = readJUnit(readFileSync(join(reports, 'debian12-amd64', 'toolchain', 'junit.xml'), 'utf8'));
    expect(junit.suites[0].attributes.failures).toBe('0');
    const names = junit.suites[0].cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining([...toolchainIds, 'cst.structure.go-runs']));
    expect(junit.suites[0].cases.find((c) => c.name === 'site.waived')?.skipped).toBeDefined();

    const runtime = byId(readReport(join(reports, 'debian12-amd64', 'runtime', 'report.json')));
    expect([runtime['site.runtime-ca']?.status, runtime['site.runtime-kind']?.status]).toEqual(['pass', 'pass']);
    expect(runtime['site.cmd-equals']).toBeUndefined();

    toolchainImage = `${prefix('good')}/debian12-go:1.27-amd64`;
    expect(await tagsUnder(prefix('good'))).toContain(toolchainImage);
  });

  test('bake list and bake outdated show the waiver that expires within 30 days', async () => {
    const recipes = join(scratch, 'good');
    const list = await bake(['list', '--recipes', recipes]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `site\\.waived {2}expires ${IN_TEN_DAYS} \\(in 10 days\\) {2}debian12-amd64, debian12-arm64: "PLAT-42`,
      ),
    );
    const outdated = await bake([
      'outdated',
      'debian12-amd64',
      '--recipes',
      recipes,
      ...common().slice(0, 2),
      '--json',
    ]);
    const report = JSON.parse(outdated.stdout) as OutdatedReport;
    expect(report.waivers).toEqual([
      {
        target: 'debian12-amd64',
        waivers: [{ ...waiver(IN_TEN_DAYS), daysLeft: 10, expired: false }],
      },
    ]);
    expect(report.current).toEqual(expect.arrayContaining(['debian12-amd64/toolchain', 'debian12-amd64/runtime']));
  });

  test('past its date the waiver no longer applies: no vetted tag, and the JUnit report names the check', async () => {
    const recipes = recipesDir(
      'expired',
      { skip: SKIPPED, custom: PASSING, import: ['tests/structure.yaml'], waive: [waiver(YESTERDAY)] },
      { kinds: ['toolchain'] },
    );
    const reports = join(scratch, 'reports-expired');
    const r = await bake([
      'build',
      'debian12-amd64',
      '--recipes',
      recipes,
      ...common(),
      '--tag-prefix',
      prefix('expired'),
      '--report',
      reports,
      '--json',
    ]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    const [result] = JSON.parse(r.stdout) as TargetResult[];
    expect(result).toMatchObject({ status: 'rejected', message: 'failed readiness checks (toolchain: site.waived)' });
    const tags = await tagsUnder(prefix('expired'));
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatch(/\/debian12-go:bake-rejected-/);
    const junit = readJUnit(readFileSync(join(reports, 'debian12-amd64', 'toolchain', 'junit.xml'), 'utf8'));
    const failed = junit.suites[0].cases.filter((c) => c.failure);
    expect(failed.map((c) => c.name)).toEqual(['site.waived']);
    expect(failed[0].failure?.attributes.message).toBe(`exit 1, expected 0 (its waiver expired after ${YESTERDAY})`);
    const list = await bake(['list', '--recipes', recipes]);
    expect(list.stdout).toContain(`site.waived  expired ${YESTERDAY} (1 day ago)`);
  });

  test('bake verify: the failing variant of every kind and matcher, and hostile checks, with evidence', async () => {
    // Facts of the image under test, read independently of bake.
    const debianVersion = (await runInImage(engine.docker, toolchainImage, ['cat', '/etc/debian_version'])).stdout;
    const versionSha = createHash('sha256').update(debianVersion).digest('hex');
    const failing = [
      { id: 'bad.cmd-exit', kind: 'command', command: ['sh', '-c', 'echo out; echo err >&2; exit 4'] },
      { id: 'bad.cmd-equals', kind: 'command', command: ['go', 'env', 'GOTOOLCHAIN'], stdout: { equals: 'auto' } },
      { id: 'bad.cmd-contains', kind: 'command', command: ['git', '--version'], stdout: { contains: 'mercurial' } },
      { id: 'bad.cmd-not-contains', kind: 'command', command: ['git', '--version'], stdout: { notContains: 'git' } },
      { id: 'bad.cmd-matches', kind: 'command', command: ['git', '--version'], stdout: { matches: '^hg ' } },
      {
        id: 'bad.cmd-not-matches',
        kind: 'command',
        command: ['git', '--version'],
        stdout: { notMatches: 'version \\d' },
      },
      { id: 'bad.cmd-stderr', kind: 'command', command: ['sh', '-c', 'echo oops >&2'], stderr: { equals: '' } },
      { id: 'bad.file-missing', kind: 'file', path: '/etc/corp/ca.pem' },
      { id: 'bad.file-present', kind: 'file', path: '/etc/passwd', exists: false },
      { id: 'bad.file-type', kind: 'file', path: '/home/gobuild', type: 'file' },
      { id: 'bad.file-mode', kind: 'file', path: '/etc/passwd', mode: '0600' },
      { id: 'bad.file-owner', kind: 'file', path: '/etc/passwd', owner: 'gobuild' },
      { id: 'bad.file-group', kind: 'file', path: '/etc/passwd', group: 10001 },
      { id: 'bad.file-exec', kind: 'file', path: '/etc/passwd', executableBy: 'any' },
      { id: 'bad.file-equals', kind: 'file', path: '/etc/debian_version', content: { equals: '11.0' } },
      {
        id: 'bad.file-matchers',
        kind: 'file',
        path: '/etc/os-release',
        content: {
          contains: 'ID=ubuntu',
          notContains: 'ID=debian',
          matches: '(?m)^ID=fedora$',
          notMatches: '(?m)^ID=debian$',
        },
      },
      { id: 'bad.file-sha256', kind: 'file', path: '/etc/debian_version', sha256: '0'.repeat(64) },
      {
        id: 'ok.file-sha256',
        kind: 'file',
        path: '/etc/debian_version',
        sha256: versionSha,
        content: { equals: debianVersion.trim() },
      },
      { id: 'bad.env-go', kind: 'env', source: 'go', name: 'GOFLAGS', value: { matches: '-mod=vendor' } },
      { id: 'bad.env-process', kind: 'env', source: 'process', name: 'GOPROXY', value: 'off' },
      { id: 'bad.env-unset', kind: 'env', source: 'process', name: 'SITE_UNSET', value: '' },
      { id: 'bad.meta-label', kind: 'metadata', labels: { 'org.example.team': 'platform' } },
      {
        id: 'bad.meta-config',
        kind: 'metadata',
        user: 'root',
        workdir: '/',
        entrypoint: ['/bin/sh'],
        cmd: ['sh'],
        exposedPorts: ['8080'],
        volumes: ['/data'],
      },
      { id: 'bad.version-semver', kind: 'version', command: ['git', '--version'], range: '>=3.0.0' },
      {
        id: 'bad.version-debian',
        kind: 'version',
        command: ['dpkg-query', '-W', '-f', '${Version}', 'git'],
        scheme: 'debian',
        range: '>= 1:3',
      },
      {
        id: 'bad.version-rpm',
        kind: 'version',
        command: ['go', 'env', 'GOVERSION'],
        pattern: 'go(\\S+)',
        scheme: 'rpm',
        range: '< 1.20',
      },
      { id: 'bad.version-none', kind: 'version', command: ['true'], range: '>=1.0.0' },
      { id: 'hostile.timeout', kind: 'command', command: ['sleep', '3600'], timeoutSeconds: 2 },
      {
        id: 'hostile.huge-output',
        kind: 'command',
        shell: true,
        command: 'printf "\\033[2J\\033]0;pwned\\007 ]]> <x/>"; head -c 8000000 /dev/zero | tr "\\0" A',
        stdout: { contains: 'never printed' },
      },
      {
        id: 'hostile.backtracking',
        kind: 'command',
        command: ['sh', '-c', 'printf "%040d!" 0'],
        stdout: { matches: '^(0+)+$' },
      },
    ].map((c) => ({ description: `${c.id} holds`, ...c }));
    const recipes = recipesDir('failing', { skip: SKIPPED, custom: failing });
    const reportDir = join(scratch, 'reports-verify');
    const r = await bake([
      'verify',
      toolchainImage,
      '--target',
      'debian12-amd64',
      '--recipes',
      recipes,
      ...common(),
      '--report',
      reportDir,
      '--json',
    ]);
    expect([r.code, r.stderr.match(/^bake: .*/m)?.[0]]).toEqual([ExitCode.CheckFailed, expect.any(String)]);
    expect(r.stderr).toMatch(/^bake: .* fails \d+ readiness checks of debian12-amd64: bad\.cmd-exit, /m);
    const report = JSON.parse(r.stdout) as Report;
    const results = byId(report);
    const reasons = Object.fromEntries(failing.map((c) => [c.id, [results[c.id]?.status, results[c.id]?.reason]]));
    const debian = JSON.stringify(debianVersion.trim());
    expect(reasons).toEqual({
      'bad.cmd-exit': ['fail', 'exit 4, expected 0'],
      'bad.cmd-equals': ['fail', 'stdout is "local", expected "auto"'],
      'bad.cmd-contains': ['fail', 'stdout does not contain "mercurial"'],
      'bad.cmd-not-contains': ['fail', expect.stringMatching(/^stdout contains "git" \(at "git version 2\.39/)],
      'bad.cmd-matches': ['fail', 'stdout does not match /^hg /'],
      'bad.cmd-not-matches': ['fail', expect.stringMatching(/^stdout matches \/version \\d\/ \(at "git version/)],
      'bad.cmd-stderr': ['fail', 'stderr is "oops", expected ""'],
      'bad.file-missing': ['fail', '/etc/corp/ca.pem does not exist'],
      'bad.file-present': ['fail', '/etc/passwd exists (file); expected it absent'],
      'bad.file-type': ['fail', '/home/gobuild is a directory, expected a file'],
      'bad.file-mode': ['fail', '/etc/passwd has mode 0644, expected 0600'],
      'bad.file-owner': ['fail', '/etc/passwd has owner 0, expected 10001 (gobuild)'],
      'bad.file-group': ['fail', '/etc/passwd has group 0, expected 10001 (10001)'],
      'bad.file-exec': ['fail', '/etc/passwd (mode 0644) is not executable by any'],
      'bad.file-equals': ['fail', `/etc/debian_version is ${debian}, expected "11.0"`],
      'bad.file-matchers': ['fail', '/etc/os-release does not contain "ID=ubuntu" (and 3 more)'],
      'bad.file-sha256': ['fail', `/etc/debian_version has sha256 ${versionSha}, expected ${'0'.repeat(64)}`],
      'ok.file-sha256': ['pass', expect.stringContaining(`sha256 ${versionSha}`)],
      'bad.env-go': ['fail', 'go env GOFLAGS does not match /-mod=vendor/'],
      'bad.env-process': ['fail', '$GOPROXY is "https://proxy.golang.org,direct", expected "off"'],
      'bad.env-unset': ['fail', '$SITE_UNSET is not set'],
      'bad.meta-label': ['fail', 'label org.example.team is not set'],
      'bad.meta-config': ['fail', 'user is "10001:10001", expected "root" (and 5 more)'],
      'bad.version-semver': ['fail', expect.stringMatching(/^version 2\.39\.\d+ is not in ">=3\.0\.0"$/)],
      'bad.version-debian': ['fail', expect.stringMatching(/^version 1:2\.39\.\S+ is not in ">= 1:3"$/)],
      'bad.version-rpm': ['fail', expect.stringMatching(/^version 1\.27\.\d+ is not in "< 1\.20"$/)],
      'bad.version-none': ['fail', 'no version in the output'],
      'hostile.timeout': ['fail', 'the command did not finish within its timeout of 2 s'],
      'hostile.huge-output': ['fail', 'stdout does not contain "never printed"'],
      'hostile.backtracking': [
        'fail',
        expect.stringMatching(/^\/\^\(0\+\)\+\$\/ did not finish on stdout \(41 characters\)/),
      ],
    });
    // The evidence says what ran, what it printed and what was expected.
    expect(results['bad.cmd-exit'].evidence[0]).toEqual({
      command: "sh -c 'echo out; echo err >&2; exit 4'",
      output: 'exit 4\nout\nstderr: err',
      expected: 'exit 0',
    });
    expect(results['bad.file-mode'].evidence[0]).toMatchObject({
      command: 'stat /etc/passwd',
      output: expect.stringMatching(/^file, mode 0644, owner 0:0, \d+ bytes$/),
    });
    expect(results['bad.meta-config'].evidence[0].output).toContain('workdir: "/home/gobuild"');
    expect(results['hostile.timeout'].evidence[0]).toMatchObject({
      command: 'sleep 3600',
      output: 'no exit status after 2 s',
    });
    // 8 MB of output and terminal escapes: bounded, escaped, and the XML still well-formed.
    const huge = results['hostile.huge-output'].evidence[0].output;
    expect(huge.length).toBeLessThanOrEqual(4100);
    expect(huge).toMatch(/characters cut/);
    expect(huge.startsWith('exit 0\n\u001b[2J\u001b]0;pwned\u0007 ]]> <x/>AAAA')).toBe(true);
    expect(statSync(join(reportDir, 'report.json')).size).toBeLessThan(200_000);
    const junitText = readFileSync(join(reportDir, 'junit.xml'), 'utf8');
    expect(junitText).not.toMatch(/[\u001b\u0007]/);
    expect(junitText).toContain('\\x1b[2J\\x1b]0;pwned\\x07');
    const junit = readJUnit(junitText);
    expect(junit.markup).not.toContain('<x/>');
    const failedCases = junit.suites[0].cases.filter((c) => c.failure).map((c) => c.name);
    expect(failedCases).toEqual(failing.filter((c) => c.id !== 'ok.file-sha256').map((c) => c.id));
    // No check container is left behind, the timed-out one included.
    const left = await engine.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: ['io.bake.readiness=1'] }),
    });
    expect(left.filter((c) => c.Image === toolchainImage)).toEqual([]);
  });
});
