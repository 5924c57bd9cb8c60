import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateImageCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import type { NightlySummary } from '../../bake/nightly/nightly-summary';
import type { CatalogStatus } from '../../bake/registry/catalog-status';
import { withAmi } from '../../bake/registry/catalog-entry';
import { openRegistry } from '../../bake/registry/open-registry';
import type { CatalogImage, TargetCatalog } from '../../bake/registry/types';
import { updateCatalog } from '../../bake/registry/update-catalog';
import { catalogAmi } from '../../bake/vm/catalog-ami';
import { bake } from '../support/bake-cli';
import { imageDifferences } from '../support/image-differences';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Revocation against the real registry (docker-registry on 127.0.0.1): two vetted images of
 * debian12-amd64's Go 1.27 line (the second a policy-only recipe change, so only its last
 * layers differ), the newest revoked; `docker pull :1.27` then gets the one before, pin and
 * verify refuse the revoked digest with the reason, the AMI of the same bake is tagged revoked
 * through the EC2 API (moto), the nightly rebuilds the revoked target from scratch, and the
 * status page, opened in headless Chromium, lists every target and marks the revoked one.
 */
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const host = () => services().registry.host;
const prefix = `revoke-${run}`;
const registry = () => `${host()}/${prefix}`;
const REASON = 'GOPRIVATE sends corp module paths to the public checksum database';
// The screenshot is kept for people to look at (a gitignored directory of the repository).
const ARTIFACTS = resolve(__dirname, '..', '..', 'test-artifacts');
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};
let scratch: string;
let state: string;
let older: CatalogImage;
let newer: CatalogImage;
let amiId: string;
let ec2: EC2Client;

async function writeRecipes(dir: string, policy: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join('recipes', f), join(dir, f));
  const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
  const lean = `${debian12}\narches: [amd64]\nkinds: [toolchain]\n`;
  await fs.writeFile(join(dir, 'debian12.yaml'), `${lean}${policy}`);
  await fs.writeFile(join(dir, 'debian12b.yaml'), lean);
  return dir;
}

const PASSWORD = `pw-${run}`;
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  bake(args, { BAKE_STATE_DIR: state, COSIGN_PASSWORD: PASSWORD, ...AWS_ENV, ...env });
const key = (file: 'cosign.key' | 'cosign.pub') => join(scratch, file);
const build = (recipes: string, targets: string[], ...extra: string[]) =>
  cli([
    'build',
    ...targets,
    ...extra,
    '--recipes',
    recipes,
    '--go-source',
    'debian',
    '--push',
    registry(),
    '--tag-prefix',
    `bake-test-${prefix}`,
    '--sign-key',
    key('cosign.key'),
  ]);

async function registryCatalog(target: string): Promise<TargetCatalog> {
  return (await (await openRegistry(registry())).catalog.read(target))!;
}

/** The digest a tag of a repository points at, through the registry API; null when there is no such tag. */
async function tagDigest(repo: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${host()}/v2/${prefix}/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

async function pull(ref: string): Promise<string> {
  const stream = await engine.docker.pull(ref, { platform: 'linux/amd64' });
  await new Promise((ok, fail) =>
    engine.docker.modem.followProgress(stream, (err: Error | null) => (err ? fail(err) : ok(undefined))),
  );
  return (await engine.inspectImage(ref))!.id;
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-revocation-test-'));
  state = join(scratch, 'state');
  // The images are signed, so what a revocation rewrites (catalog documents, moving indexes) is signed again.
  execFileSync('cosign', ['generate-key-pair'], {
    cwd: scratch,
    env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
    stdio: 'ignore',
  });
  const first = await build(await writeRecipes(join(scratch, 'a'), ''), ['debian12', 'debian12b']);
  expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr.slice(-3000) }).toEqual({
    code: 0,
    stderr: '',
  });
  // A policy-only change of the recipe: the same Go line. Built from scratch, as the nightly
  // rebuilds it below: a step the engine's cache holds from an older BuildKit can differ from
  // what this one makes (seen: the bind mounts' parent /run in the binaries layer), and the
  // test is about revocation, not the history of this engine's cache.
  const second = await build(
    await writeRecipes(join(scratch, 'b'), 'env:\n  GOPRIVATE: "corp.example.com"\n'),
    ['debian12'],
    '--no-cache',
  );
  expect({ code: second.code, stderr: second.code === 0 ? '' : second.stderr.slice(-3000) }).toEqual({
    code: 0,
    stderr: '',
  });
  const images = (await registryCatalog('debian12-amd64')).images;
  expect(images).toHaveLength(2);
  [older, newer] = images;
  expect(newer.goVersion.split('.').slice(0, 2)).toEqual(older.goVersion.split('.').slice(0, 2));
  expect(newer.vettedAt > older.vettedAt).toBe(true);

  // The AMI of the newest bake, recorded as the AMI flow records one: a real image in moto's EC2.
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: services().moto.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const source = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0].ImageId!;
  const instance = (await ec2.send(new RunInstancesCommand({ ImageId: source, MinCount: 1, MaxCount: 1 })))
    .Instances![0];
  amiId = (await ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId!, Name: `bake-rev-${run}` })))
    .ImageId!;
  const remote = await openRegistry(registry());
  await updateCatalog(
    remote.catalog,
    'debian12-amd64',
    (c) =>
      withAmi(
        c,
        catalogAmi({
          schema: 'bake.ami/v1',
          target: 'debian12-amd64',
          region: 'us-east-1',
          amiId,
          name: `bake-rev-${run}`,
          snapshotIds: [],
          sourceAmi: source,
          goVersion: newer.goVersion,
          goSha256: newer.goSha256,
          inputsDigest: newer.inputsDigest,
          userDataSha256: 'x',
          report: { passed: true, summary: '11/11 passed', source: 'tag' },
          createdAt: new Date().toISOString(),
          copies: [],
        }),
      ),
    { lockDir: join(state, 'locks'), logger, now: new Date() },
  );
});

afterAll(async () => {
  for (const image of await engine.docker.listImages())
    for (const tag of (image.RepoTags ?? []).filter(
      (t) => t.startsWith(`bake-test-${prefix}/`) || t.startsWith(`${registry()}/`),
    ))
      await engine.removeImage(tag);
  await fs.rm(scratch, { recursive: true, force: true });
});

test('before: the moving tag :1.27 gets the newest vetted image', async () => {
  expect(await pull(`${registry()}/debian12-go:1.27`)).toBe(newer.imageId);
});

describe('bake registry revoke debian12-amd64', () => {
  let revoke: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    revoke = await cli([
      'registry',
      'revoke',
      'debian12-amd64',
      '--reason',
      REASON,
      '--by',
      'ci-test',
      '--registry',
      registry(),
      '--ami-endpoint',
      services().moto.endpoint,
      '--region',
      'us-east-1',
      '--sign-key',
      key('cosign.key'),
    ]);
  });

  test('records who, when and why in the catalog, for the image and the AMI of the same bake', async () => {
    expect({ code: revoke.code, stderr: revoke.code === 0 ? '' : revoke.stderr }).toEqual({ code: 0, stderr: '' });
    expect(revoke.stdout).toContain(`revoked ${newer.repository}:${newer.tag} (${newer.manifestDigest})`);
    expect(revoke.stdout).toContain(`moved ${registry()}/debian12-go:1.27\n`);
    const doc = await registryCatalog('debian12-amd64');
    expect(doc.images.find((i) => i.imageId === newer.imageId)!.revoked).toMatchObject({
      by: 'ci-test',
      reason: REASON,
    });
    expect(doc.images.find((i) => i.imageId === older.imageId)!.revoked).toBeUndefined();
    expect(doc.amis![0].revoked).toMatchObject({ by: 'ci-test', reason: REASON });
    // This machine's catalog, which publishing wrote too, says the same.
    const local = JSON.parse(
      await fs.readFile(join(state, 'catalog', 'targets', 'debian12-amd64.json'), 'utf8'),
    ) as TargetCatalog;
    expect(local.images.find((i) => i.imageId === newer.imageId)!.revoked?.reason).toBe(REASON);
  });

  test('docker pull :1.27 now gets the previous vetted image', async () => {
    expect(await pull(`${registry()}/debian12-go:1.27`)).toBe(older.imageId);
    expect(await pull(`${registry()}/debian12-go:${older.goVersion}`)).toBe(older.imageId);
  });

  test('the AMI is tagged revoked through EC2; moto has no deprecation call, and the catalog says so', async () => {
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [amiId] }))).Images![0];
    const tags = Object.fromEntries((image.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags['bake:revoked']).toBe(REASON);
    // AWS deprecates it (EnableImageDeprecation, asserted with the in-memory EC2 of the unit tests);
    // moto 5.1 has no such call and answers it with an error, which the catalog records.
    expect(image.DeprecationTime).toBeUndefined();
    const deprecation = (await registryCatalog('debian12-amd64')).amis![0].revoked!.deprecation!;
    expect(deprecation).toMatch(new RegExp(`^${amiId} \\(us-east-1\\): not deprecated: EC2 EnableImageDeprecation: `));
  });

  test('pin refuses the revoked digest with the reason, and pins the one before', async () => {
    const refused = await cli(['registry', 'pin', newer.manifestDigest!, '--registry', registry()]);
    expect(refused.code).toBe(ExitCode.Untrusted);
    expect(refused.stderr).toContain(`is revoked by ci-test at `);
    expect(refused.stderr).toContain(REASON);
    const pinned = await cli(['registry', 'pin', 'debian12-amd64', '--registry', registry()]);
    expect(pinned.stdout).toContain(`FROM ${older.repository}@${older.manifestDigest}\n`);
    // The moved index is signed again too: pin --key verifies it and every image in it.
    const multiArch = await cli(['registry', 'pin', 'debian12', '--registry', registry(), '--key', key('cosign.pub')]);
    expect({ code: multiArch.code, stderr: multiArch.code === 0 ? '' : multiArch.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(multiArch.stdout).toContain(`FROM ${older.repository}@${await tagDigest('debian12-go', '1.27')}\n`);
  });

  test('verify refuses the revoked image before running anything, with the reason', async () => {
    const byDigest = `${registry()}/debian12-go@${newer.manifestDigest}`;
    expect(await pull(byDigest)).toBe(newer.imageId);
    const refused = await cli([
      'verify',
      byDigest,
      '--target',
      'debian12-amd64',
      '--registry',
      registry(),
      '--recipes',
      join(scratch, 'b'),
    ]);
    expect(refused.code).toBe(ExitCode.Untrusted);
    expect(refused.stderr).toContain(REASON);
    expect(refused.stderr).not.toContain('readiness container');
    const signed = await cli(['registry', 'verify', byDigest, '--key', key('cosign.pub'), '--json']);
    expect(signed.code).toBe(ExitCode.Untrusted);
    const revokedAt = (await registryCatalog('debian12-amd64')).images.find((i) => i.revoked)!.revoked!.at;
    expect(JSON.parse(signed.stdout).checks.find((c: { id: string }) => c.id === 'catalog.revoked')).toEqual({
      id: 'catalog.revoked',
      ok: false,
      detail: `${byDigest} is revoked by ci-test at ${revokedAt}: ${REASON}`,
    });
    // The target names the image before it, which still verifies: the rewritten catalog was signed again.
    const vetted = await cli([
      'registry',
      'verify',
      'debian12-amd64',
      '--registry',
      registry(),
      '--key',
      key('cosign.pub'),
    ]);
    expect({ code: vetted.code, stderr: vetted.code === 0 ? '' : vetted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(vetted.stdout).toContain('catalog.signature');
    expect(vetted.stdout).not.toContain('FAILED');
  });

  test('registry status shows every target and Go line, the newest vetted image and what was revoked', async () => {
    const r = await cli(['registry', 'status', '--registry', registry(), '--json']);
    const status = JSON.parse(r.stdout) as CatalogStatus;
    expect(
      status.rows.map((row) => [
        row.target,
        row.kind,
        row.goLine,
        row.state,
        row.current?.digest ?? null,
        row.revoked.map((x) => x.digest),
      ]),
    ).toEqual([
      ['debian12-amd64', 'ami', older.goVersion.slice(0, 4), 'revoked', null, [amiId]],
      [
        'debian12-amd64',
        'toolchain',
        older.goVersion.slice(0, 4),
        'vetted',
        older.manifestDigest,
        [newer.manifestDigest],
      ],
      ['debian12b-amd64', 'toolchain', older.goVersion.slice(0, 4), 'vetted', expect.stringMatching(/^sha256:/), []],
    ]);
    // The signature state is what the catalog records: signed by the key, for the images; nothing for the AMI.
    expect(status.rows[1].signature).toMatch(/^signed \(sha256:[0-9a-f]{64}\)$/);
    expect(status.rows[0].signature).toBe('unsigned/unknown');
  });

  test('the status page in headless Chromium: script-free, every target listed, the revoked image marked', async () => {
    const out = join(scratch, 'site');
    const site = await cli(['registry', 'site', '--out', out, '--registry', registry()]);
    expect(site.code).toBe(0);
    const page = `file://${join(out, 'index.html')}`;
    // Complete without a script: it has none, and its policy lets none run or load.
    const source = await fs.readFile(join(out, 'index.html'), 'utf8');
    expect(source).not.toMatch(/<script|\son[a-z]+=/i);
    expect(source).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    const chromium = (extra: string[]) =>
      execFileSync(
        'chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${join(scratch, `chromium-${extra[0].slice(2, 8)}`)}`,
          ...extra,
          page,
        ],
        { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] },
      );
    const dom = chromium(['--dump-dom']);
    const rows = [...dom.matchAll(/<tr class="(\w+)" data-target="([^"]+)" data-state="(\w+)">([\s\S]*?)<\/tr>/g)];
    expect([...new Set(rows.map((m) => m[2]))]).toEqual(['debian12-amd64', 'debian12b-amd64']);
    const revokedRows = rows.filter((m) => m[3] === 'revoked').map((m) => m[4]);
    expect(
      revokedRows.some((cells) => cells.includes(`${newer.repository}:${newer.tag}`) && cells.includes('REVOKED')),
    ).toBe(true);
    expect(revokedRows.some((cells) => cells.includes(amiId))).toBe(true);
    expect(dom).toContain(`FROM ${older.repository}@${older.manifestDigest}`);
    expect(dom).toContain('Readiness report: ');
    await fs.mkdir(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'registry-site.png');
    await fs.rm(shot, { force: true });
    chromium([`--screenshot=${shot}`, '--window-size=1280,1400']);
    const png = await fs.readFile(shot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });
});

test('the nightly rebuilds a revoked target from scratch; the same bits stay revoked, and say why', async () => {
  const report = join(scratch, 'nightly');
  const before = await tagDigest('debian12-go', '1.27');
  const revokedAt = (await registryCatalog('debian12-amd64')).images.find((i) => i.revoked)!.revoked!.at;
  const r = await cli([
    'nightly',
    'debian12',
    'debian12b',
    '--recipes',
    join(scratch, 'b'),
    '--go-source',
    'debian',
    '--registry',
    registry(),
    '--tag-prefix',
    `bake-test-${prefix}`,
    '--report',
    report,
    '--json',
  ]);
  const summary = JSON.parse(r.stdout) as NightlySummary;
  const rebuilt = summary.targets.find((t) => t.target === 'debian12-amd64')!;
  // A rebuild that gave other bits says how they differ from the revoked image, and why it ran.
  const toolchain = rebuilt.images.find((i) => i.kind === 'toolchain');
  const differences =
    toolchain && toolchain.imageId !== newer.imageId
      ? await imageDifferences([engine, { toolchain: newer.imageId }], [engine, { toolchain: toolchain.imageId }])
      : {};
  // The nightly's reasons are shown with the outcome, whatever they are (asserted below).
  expect({ code: r.code, outcome: rebuilt.outcome, differences, changes: rebuilt.changes }).toEqual({
    code: ExitCode.Failure,
    outcome: 'failed',
    differences: {},
    changes: rebuilt.changes,
  });
  expect(rebuilt.changes?.[0]).toBe(
    `rebuilt: its toolchain image ${newer.manifestDigest} was revoked by ci-test at ${revokedAt}: ${REASON}`,
  );
  expect(rebuilt.message).toContain(`the rebuild reproduced the revoked toolchain image ${newer.imageId.slice(0, 19)}`);
  expect(rebuilt.message).toContain('bake registry unrevoke');
  // Built from scratch: not one step came from the build cache.
  expect(r.stderr).toMatch(/debian12-amd64\/toolchain: built sha256:[0-9a-f]{12} in [\d.]+ s \(0\/\d+ steps cached\)/);
  // The other target, whose inputs are vetted and not revoked, is skipped.
  expect(summary.targets.find((t) => t.target === 'debian12b-amd64')!.outcome).toBe('skipped');
  // Nothing moved: the tag still gets the previous image, the revoked one is still revoked.
  expect(await tagDigest('debian12-go', '1.27')).toBe(before);
  const doc = await registryCatalog('debian12-amd64');
  expect(doc.images.map((i) => [i.imageId, !!i.revoked])).toEqual([
    [older.imageId, false],
    [newer.imageId, true],
  ]);
});

test('unrevoke undoes it: the moving tag follows the newest vetted image again', async () => {
  const r = await cli([
    'registry',
    'unrevoke',
    newer.manifestDigest!,
    '--registry',
    registry(),
    '--sign-key',
    key('cosign.key'),
  ]);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(await pull(`${registry()}/debian12-go:1.27`)).toBe(newer.imageId);
  expect((await registryCatalog('debian12-amd64')).images.every((i) => !i.revoked)).toBe(true);
});
