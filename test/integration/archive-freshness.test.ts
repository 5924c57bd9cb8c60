import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import type { NightlySummary } from '../../bake/nightly/nightly-summary';
import type { OutdatedReport } from '../../bake/nightly/types';
import type { Plan } from '../../bake/plan/types';
import {
  bridgeAddress,
  buildPackage,
  createTestArchive,
  generateKey,
  publish,
  serveArchive,
  type TestArchive,
} from '../support/archive/test-archive';
import { bake } from '../support/bake-cli';
import { runInImage } from '../support/run-in-image';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * Bases and OS packages follow the archive. A signed repository made with Debian's tools
 * (apt-ftparchive, gpg) serves bookworm-security on the docker bridge, so apt on the host
 * and apt in image builds read the same signed indexes. It holds a package only recipe
 * "fresha" installs; "freshb" does not. Publishing a newer version must rebuild exactly fresha,
 * whose new image carries it, and the summary must name it; nothing published, nothing built.
 */
const MARKER = 'bake-fresh-marker';
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const bridge = bridgeAddress();
const describeIfBridge = bridge ? describe : describe.skip;
if (!bridge)
  console.log(
    'archive-freshness: skipped: no docker0 bridge address, ' +
      'so image builds could not reach a test archive on this host',
  );

let scratch: string;
let archive: TestArchive & { gnupg: string };
let server: Server | undefined;
let env: NodeJS.ProcessEnv;
let recipes: string;

function bakeHere(args: string[]) {
  return bake(
    [
      ...args,
      '--recipes',
      recipes,
      '--go-source',
      'debian',
      '--state-dir',
      join(scratch, 'state'),
      '--cache-dir',
      join(scratch, 'cache'),
    ],
    env,
  );
}
const nightly = (...args: string[]) =>
  bakeHere(['nightly', '--engine', services().engine.endpoint, '--tag-prefix', `bake-test-${run}`, '--json', ...args]);
const outcomes = (s: NightlySummary) => Object.fromEntries(s.targets.map((t) => [t.target, t.outcome]));

async function markerIn(ref: string): Promise<string> {
  const r = await runInImage(engine.docker, ref, ['dpkg-query', '-W', '-f=${Version}', MARKER]);
  expect(r.exitCode).toBe(0);
  return r.stdout.trim();
}

const toolchainRef = (s: NightlySummary, target: string) =>
  s.targets.find((t) => t.target === target)!.images.find((i) => i.kind === 'toolchain')!.immutableRef!;

beforeAll(async () => {
  if (!bridge) return;
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-archive-test-'));
  // apt's download methods run as _apt: the test keyring must be readable by it.
  await fs.chmod(scratch, 0o755);
  archive = await createTestArchive(scratch, 'bookworm-security');
  await buildPackage(archive, MARKER, '1.0-1');
  await publish(archive, archive.gnupg);
  server = await serveArchive(archive, bridge);
  env = { BAKE_DEBIAN_SECURITY_MIRROR: archive.uri, BAKE_DEBIAN_KEYRING: archive.keyring };
  recipes = join(scratch, 'recipes');
  await fs.mkdir(recipes);
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join('recipes', f), join(recipes, f));
  const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
  await fs.writeFile(
    join(recipes, 'fresha.yaml'),
    `${debian12}\narches: [amd64]\npackages: [ca-certificates, git, tzdata, ${MARKER}]\n`,
  );
  await fs.writeFile(join(recipes, 'freshb.yaml'), `${debian12}\narches: [amd64]\n`);
});

afterAll(async () => {
  server?.close();
  if (!scratch) return;
  for (const image of await engine.docker.listImages()) {
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`bake-test-${run}/`)))
      await engine.removeImage(tag);
  }
  await fs.rm(scratch, { recursive: true, force: true });
});

describeIfBridge('bases and packages follow the signed archive', () => {
  let first: NightlySummary;

  test('the plan pins every package from the signed indexes, the test archive’s version included', async () => {
    const r = await bakeHere(['plan', 'fresha-amd64', '--json']);
    expect(r.stderr).not.toMatch(/^bake:/m);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.packages?.pinned).toBe(true);
    const toolchain = plan.packages!.images.toolchain!;
    expect(toolchain.find((p) => p.name === MARKER)).toEqual({ name: MARKER, version: '1.0-1', arch: 'all' });
    expect(toolchain.map((p) => p.name)).toEqual(expect.arrayContaining(['git', 'tzdata', 'ca-certificates']));
    expect(Object.keys(plan.base.archive!.packages).length).toBeGreaterThan(50);
  });

  test('the first nightly builds both targets; the image carries the pinned version', async () => {
    const r = await nightly('--report', join(scratch, 'first'));
    expect(r.stderr).not.toMatch(/^bake:/m);
    expect(r.code).toBe(0);
    first = JSON.parse(r.stdout) as NightlySummary;
    expect(outcomes(first)).toEqual({ 'fresha-amd64': 'built', 'freshb-amd64': 'built' });
    expect(await markerIn(toolchainRef(first, 'fresha-amd64'))).toBe('1.0-1');
    console.log(`first nightly: ${(first.durationMs / 1000).toFixed(1)} s`);
  });

  test('nothing published: the next nightly skips every target and bootstraps nothing', async () => {
    const started = Date.now();
    const r = await nightly();
    expect(r.code).toBe(0);
    const second = JSON.parse(r.stdout) as NightlySummary;
    expect(outcomes(second)).toEqual({ 'fresha-amd64': 'skipped', 'freshb-amd64': 'skipped' });
    expect(r.stderr).not.toContain('bootstrapping');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const perTarget = second.targets.map((t) => `${t.durationMs} ms`).join(', ');
    // How fast a skip is belongs to `npm run bench`, not to an assertion here.
    console.log(`nightly with nothing new: ${seconds} s for the command, per target ${perTarget}`);
  });

  test('bake outdated: nothing behind, exit 0', async () => {
    const r = await bakeHere(['outdated', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as OutdatedReport;
    expect(report.behind).toEqual([]);
    expect(report.current.sort()).toEqual([
      'fresha-amd64/runtime',
      'fresha-amd64/toolchain',
      'freshb-amd64/runtime',
      'freshb-amd64/toolchain',
    ]);
  });

  test('a newer version published: outdated names it, the nightly rebuilds exactly fresha, and says why', async () => {
    await buildPackage(archive, MARKER, '1.0-2');
    await publish(archive, archive.gnupg);

    const out = await bakeHere(['outdated', '--json']);
    expect(out.code).toBe(ExitCode.Outdated);
    const report = JSON.parse(out.stdout) as OutdatedReport;
    expect(report.behind.map((b) => `${b.target}/${b.kind}`).sort()).toEqual([
      'fresha-amd64/runtime',
      'fresha-amd64/toolchain',
    ]);
    expect(report.behind.find((b) => b.kind === 'toolchain')!.changes).toEqual([`${MARKER} 1.0-1 → 1.0-2`]);

    const r = await nightly('--report', join(scratch, 'third'));
    expect(r.code).toBe(0);
    const third = JSON.parse(r.stdout) as NightlySummary;
    expect(outcomes(third)).toEqual({ 'fresha-amd64': 'built', 'freshb-amd64': 'skipped' });
    expect(third.targets.find((t) => t.target === 'fresha-amd64')!.changes).toEqual([`${MARKER} 1.0-1 → 1.0-2`]);
    expect(r.stderr).not.toContain('bootstrapping');
    expect(await markerIn(toolchainRef(third, 'fresha-amd64'))).toBe('1.0-2');
    expect(await fs.readFile(join(scratch, 'third', 'summary.md'), 'utf8')).toContain(`| ${MARKER} 1.0-1 → 1.0-2 |`);
    expect(await fs.readFile(join(scratch, 'third', 'junit.xml'), 'utf8')).toContain(`why: ${MARKER} 1.0-1 → 1.0-2`);

    const after = await bakeHere(['outdated']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('nothing behind');
  });

  test('an InRelease signed by an unknown key stops the plan with exit 4', async () => {
    const foreign = join(scratch, 'foreign-gnupg');
    await fs.mkdir(foreign, { mode: 0o700 });
    await generateKey(foreign, 'someone else <other@example.test>');
    await buildPackage(archive, MARKER, '1.0-3');
    await publish(archive, foreign);
    const r = await bakeHere(['plan', 'fresha-amd64']);
    expect(r.code).toBe(ExitCode.Untrusted);
    expect(r.stderr).toMatch(
      /^bake: apt-get update of .*: the archive's signed index failed verification \(.*(NO_PUBKEY|not signed).*\)$/m,
    );
  });

  test('a Packages index that does not match its signed InRelease stops the plan with exit 4', async () => {
    await publish(archive, archive.gnupg);
    for (const arch of ['amd64', 'arm64']) {
      const index = join(archive.dir, 'dists', archive.suite, 'main', `binary-${arch}`);
      await fs.appendFile(join(index, 'Packages'), '\nPackage: injected\nVersion: 9\nArchitecture: all\n');
      await fs.writeFile(join(index, 'Packages.gz'), await fs.readFile(join(index, 'Packages')));
    }
    const r = await bakeHere(['plan', 'fresha-amd64']);
    expect(r.code).toBe(ExitCode.Untrusted);
    expect(r.stderr).toMatch(
      /the archive's signed index failed verification \((.*Hash Sum mismatch|.*unexpected size).*\)/,
    );
  });
});
