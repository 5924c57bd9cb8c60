import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import type Dockerode from 'dockerode';
import { ExitCode } from '../../bake/common/errors';
import { sha256Hex } from '../../bake/common/sha256';
import type { DriftReport } from '../../bake/drift/types';
import type { CatalogImage, TargetCatalog } from '../../bake/registry/types';
import { bake } from '../support/bake-cli';
import { execIn } from '../support/container-exec';
import { testEngine } from '../support/test-engine';

/**
 * `bake drift` against real containers and images of a vetted debian12-amd64 toolchain image,
 * built once in a state directory of this file's own, so the baseline is the one this
 * very build recorded. The drifts are the ones the seeds warn about: GOPROXY changed in
 * profile.d, GOSUMDB=off in the environment, a replaced `go` binary, a world-writable GOROOT file.
 */
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const prefix = `bake-test-drift-${run}`;
const WRAPPER = '#!/bin/sh\nexec /opt/go.real "$@"\n';
let scratch: string;
let recipes: string;
let state: string;
let toolchain: CatalogImage;
const containers: Dockerode.Container[] = [];
const images: string[] = [];

const drift = (...args: string[]) => bake(['drift', ...args, '--json'], { BAKE_STATE_DIR: state });
const reportOf = (stdout: string) => JSON.parse(stdout) as DriftReport;
const pairs = (r: DriftReport) => r.findings.map((f) => [f.severity, f.subject]).sort();

async function container(image: string, options: { env?: string[]; start?: boolean } = {}) {
  const c = await engine.docker.createContainer({
    Image: image,
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    Env: options.env,
    Labels: { 'io.bake.test': run },
    HostConfig: { NetworkMode: 'none' },
  });
  containers.push(c);
  if (options.start !== false) await c.start();
  return c;
}

async function root(c: Dockerode.Container, script: string): Promise<void> {
  const out = await execIn(engine.docker, c, ['sh', '-ec', script]);
  expect({ exit: out.exitCode, stderr: out.stderr }).toEqual({ exit: 0, stderr: '' });
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-drift-test-'));
  recipes = join(scratch, 'recipes');
  state = join(scratch, 'state');
  await fs.mkdir(recipes);
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join('recipes', f), join(recipes, f));
  const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
  await fs.writeFile(join(recipes, 'debian12.yaml'), `${debian12}\narches: [amd64]\nkinds: [toolchain]\n`);
  const built = await bake(
    ['build', 'debian12-amd64', '--recipes', recipes, '--go-source', 'debian', '--tag-prefix', prefix],
    { BAKE_STATE_DIR: state },
  );
  expect({ code: built.code, stderr: built.code === 0 ? '' : built.stderr.slice(-3000) }).toEqual({
    code: 0,
    stderr: '',
  });
  const doc = JSON.parse(
    await fs.readFile(join(state, 'catalog', 'targets', 'debian12-amd64.json'), 'utf8'),
  ) as TargetCatalog;
  toolchain = doc.images.find((i) => i.kind === 'toolchain')!;
});

afterAll(async () => {
  for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
  for (const image of images) await engine.removeImage(image);
  for (const image of await engine.docker.listImages())
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${prefix}/`))) await engine.removeImage(tag);
  await fs.rm(scratch, { recursive: true, force: true });
});

test('the bake recorded a baseline of each vetted image: go env, the policy files, GOROOT, the config', () => {
  expect(toolchain.baseline).toMatchObject({ schema: 'bake.baseline/v1', kind: 'toolchain' });
  const v = toolchain.baseline!.values;
  expect(v['go.env:GOPROXY']).toBe('https://proxy.golang.org,direct');
  expect(v['go.env.login:GOSUMDB']).toBe('sum.golang.org');
  expect(v['env:GOTOOLCHAIN']).toBe('local');
  expect(v.user).toBe('10001:10001');
  expect(v['file:/etc/profile.d/go-env.sh']).toMatch(/^sha256=[0-9a-f]{64} mode=644 uid=0 gid=0$/);
  expect(v['file:/usr/local/go/go.env']).toMatch(/^sha256=[0-9a-f]{64} mode=644 uid=0 gid=0$/);
  expect(v['tree:/usr/local/go']).toMatch(/^entries=\d{4,} meta=sha256:[0-9a-f]{64} sums=sha256:[0-9a-f]{64}$/);
});

test('a container of the vetted image as it was started is clean (exit 0)', async () => {
  const c = await container(`${toolchain.repository}:${toolchain.tag}`);
  const r = await drift('--container', c.id);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(reportOf(r.stdout)).toMatchObject({ drifted: false, findings: [], target: 'debian12-amd64' });
  expect(reportOf(r.stdout).baseline.artifact).toContain(toolchain.imageId);
});

describe('a container that drifted', () => {
  let drifted: Dockerode.Container;
  let realGo: string;
  let report: DriftReport;
  let code: number | null;

  beforeAll(async () => {
    drifted = await container(`${toolchain.repository}:${toolchain.tag}`, { env: ['GOSUMDB=off'] });
    realGo = (await execIn(engine.docker, drifted, ['sha256sum', '/usr/local/go/bin/go'])).stdout.split(' ')[0];
    await root(
      drifted,
      'sed -i "s#https://proxy.golang.org#https://goproxy.attacker.example#" /etc/profile.d/go-env.sh\n' +
        'mv /usr/local/go/bin/go /opt/go.real\n' +
        `printf '%s' '${WRAPPER}' >/usr/local/go/bin/go\nchmod 755 /usr/local/go/bin/go\n` +
        'chmod o+w /usr/local/go/src/fmt/print.go',
    );
    const r = await drift(
      '--container',
      drifted.id,
      '--junit',
      join(scratch, 'drift.xml'),
      '--markdown',
      join(scratch, 'drift.md'),
    );
    code = r.code;
    report = reportOf(r.stdout);
    expect(r.stderr).toContain(`drifted from its baseline: 6 findings`);
  });

  test('is found with exactly the four drifts, each in every place it shows (exit 5)', () => {
    expect(code).toBe(ExitCode.CheckFailed);
    expect(report.drifted).toBe(true);
    expect(pairs(report)).toEqual([
      ['integrity-changed', '/etc/profile.d/go-env.sh'],
      ['integrity-changed', '/usr/local/go/bin/go'],
      ['permission-loosened', '/usr/local/go/src/fmt/print.go'],
      ['policy-changed', 'GOPROXY in go env of a login shell of the build user'],
      ['policy-changed', 'GOSUMDB in go env of the build user'],
      ['policy-changed', 'GOSUMDB in the process environment'],
    ]);
  });

  test('each finding carries the expected and the actual value and how it was seen', () => {
    const by = (subject: string) => report.findings.find((f) => f.subject === subject)!;
    expect(by('GOSUMDB in the process environment')).toMatchObject({ expected: 'sum.golang.org', actual: 'off' });
    expect(by('GOSUMDB in go env of the build user')).toMatchObject({
      expected: 'sum.golang.org',
      actual: 'off',
      evidence: expect.stringContaining('go env -json'),
    });
    expect(by('GOPROXY in go env of a login shell of the build user')).toMatchObject({
      expected: 'https://proxy.golang.org,direct',
      actual: 'https://goproxy.attacker.example,direct',
      evidence: expect.stringContaining("bash -l -c 'go env -json'"),
    });
    expect(by('/usr/local/go/bin/go')).toMatchObject({
      expected: `file mode 755 uid 0 gid 0 sha256 ${realGo}`,
      actual: `file mode 755 uid 0 gid 0 sha256 ${sha256Hex(WRAPPER)}`,
      evidence: expect.stringContaining("read through the engine's archive API"),
    });
    expect(by('/usr/local/go/src/fmt/print.go').expected).toMatch(/^file mode 644 uid 0 gid 0 sha256 /);
    expect(by('/usr/local/go/src/fmt/print.go').actual).toMatch(/^file mode 646 uid 0 gid 0 sha256 /);
    expect(by('/etc/profile.d/go-env.sh').expected).toBe(toolchain.baseline!.values['file:/etc/profile.d/go-env.sh']);
  });

  test('JUnit and Markdown say the same', async () => {
    const xml = await fs.readFile(join(scratch, 'drift.xml'), 'utf8');
    expect(xml).toContain('tests="6" failures="6"');
    expect(xml).toContain('type="permission-loosened"');
    const md = await fs.readFile(join(scratch, 'drift.md'), 'utf8');
    expect(md).toContain('| integrity-changed | `/usr/local/go/bin/go` |');
  });

  test('an image made from the drifted container is found by its inherited labels, with the same drift', async () => {
    const committed = (await drifted.commit({ repo: `${prefix}/derived`, tag: 'drifted' })).Id as string;
    images.push(committed);
    const r = await drift('--image', committed);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(pairs(reportOf(r.stdout))).toEqual(pairs(report));
    expect(reportOf(r.stdout).baseline.artifact).toContain(toolchain.imageId);
  });
});

test('the vetted image itself is clean', async () => {
  const r = await drift('--image', `${toolchain.repository}:${toolchain.tag}`);
  expect({ code: r.code, findings: r.code === 0 ? [] : reportOf(r.stdout).findings }).toEqual({
    code: 0,
    findings: [],
  });
});

test('a stopped container is read without running it: a file added to GOROOT is an extra file', async () => {
  const c = await container(`${toolchain.repository}:${toolchain.tag}`, { start: false });
  const pack = tar.pack();
  pack.entry({ name: 'usr/local/go/bin/not-vetted', mode: 0o755 }, 'payload');
  pack.finalize();
  await c.putArchive(pack as unknown as NodeJS.ReadableStream, { path: '/' });
  const r = await drift('--container', c.id);
  expect(r.code).toBe(ExitCode.CheckFailed);
  expect(pairs(reportOf(r.stdout))).toEqual([['extra-file', '/usr/local/go/bin/not-vetted']]);
  expect(r.stderr).toContain('is not running: its files are compared, its go env cannot be');
});

test('what has no baseline is one clear line and exit 2, and so is a bad command line', async () => {
  const missing = await bake(['drift', '--container', `no-such-${run}`], { BAKE_STATE_DIR: state });
  expect({ code: missing.code, stderr: missing.stderr.trim().split('\n')[0] }).toEqual({
    code: ExitCode.Usage,
    stderr: expect.stringMatching(new RegExp(`^bake: no container no-such-${run} in the engine at \\S+$`)),
  });
  const base = (await engine.docker.listImages()).find((i) =>
    (i.RepoTags ?? []).some((t) => t.startsWith('bake-base/')),
  );
  const unknown = await bake(['drift', '--image', base!.Id], { BAKE_STATE_DIR: state });
  expect(unknown.code).toBe(ExitCode.Usage);
  expect(unknown.stderr).toContain('no vetted artifact with a baseline in the catalog');
  expect(unknown.stderr).toContain('hint: name its target with --target');
  const both = await bake(['drift', '--image', 'x', '--container', 'y'], { BAKE_STATE_DIR: state });
  expect({ code: both.code, stderr: both.stderr }).toEqual({
    code: ExitCode.Usage,
    stderr: 'bake: name exactly one of --container, --image, --host\n',
  });
});
