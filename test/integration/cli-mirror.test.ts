import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import { sha256File, sha256Hex } from '../../bake/common/sha256';
import type { Plan } from '../../bake/plan/types';
import { bake } from '../support/bake-cli';
import { ensureGoMirrorFixture, type GoMirrorFixture, signDetached } from '../support/go-mirror-fixture';

/**
 * `bake plan` and `bake render` on the command line against the real offline Go mirror
 * fixture: the exact version and sha256 of the mirror's file; a tampered archive or a
 * signature by another key stops the plan, naming the file and the reason; every target
 * renders byte-identical contexts twice.
 */
let fixture: GoMirrorFixture;
let scratch: string;

beforeAll(async () => {
  fixture = await ensureGoMirrorFixture();
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-cli-mirror-'));
});

afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A private copy of the mirror to damage, and a download cache of its own (nothing trusted yet). */
async function mirrorCopy(name: string): Promise<{ dir: string; cache: string }> {
  const dir = join(scratch, name);
  await fs.cp(fixture.dir, dir, { recursive: true });
  return { dir, cache: join(scratch, `${name}-cache`) };
}

const mirrorArgs = (dir: string) => ['--go-mirror', dir, '--trust-key', fixture.trustKeyFile];

test('plan resolves 1.27.x to 1.27.4 with the sha256 the mirror lists', async () => {
  const r = await bake(['plan', 'debian12-arm64', '--json', ...mirrorArgs(fixture.dir)]);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as Plan;
  const sums = await fs.readFile(join(fixture.dir, 'SHA256SUMS'), 'utf8');
  const listed = /^([0-9a-f]{64}) {2}go1\.27\.4\.linux-arm64\.tar\.gz$/m.exec(sums)![1];
  expect(plan.go).toMatchObject({
    version: '1.27.4',
    source: 'mirror',
    filename: 'go1.27.4.linux-arm64.tar.gz',
    sha256: listed,
  });
  expect(plan.inputsDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test('an archive altered by one byte: exit 4, naming the file and the reason', async () => {
  const { dir, cache } = await mirrorCopy('altered');
  const archive = join(dir, 'go1.27.4.linux-arm64.tar.gz');
  const bytes = await fs.readFile(archive);
  bytes[bytes.length >> 1] ^= 0x01;
  await fs.writeFile(archive, bytes);
  const r = await bake(['plan', 'debian12-arm64', '--json', ...mirrorArgs(dir)], { BAKE_CACHE_DIR: cache });
  expect(r.code).toBe(ExitCode.Untrusted);
  expect(r.stderr).toMatch(/^bake: .*go1\.27\.4\.linux-arm64\.tar\.gz: sha256 [0-9a-f]{64} does not match/m);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
  // Nothing a later run would trust is left in the cache: no copy of the altered bytes, and
  // every entry there hashes to its name.
  const cached = await fs.readdir(join(cache, 'sha256')).catch(() => [] as string[]);
  expect(cached).not.toContain(sha256Hex(bytes));
  for (const f of cached) expect((await sha256File(join(cache, 'sha256', f))).sha256).toBe(f);
});

test('SHA256SUMS signed by another key: exit 4, naming the file and the untrusted key', async () => {
  const { dir, cache } = await mirrorCopy('foreign');
  const sums = await fs.readFile(join(dir, 'SHA256SUMS'));
  await fs.writeFile(
    join(dir, 'SHA256SUMS.asc'),
    await signDetached(sums, await fs.readFile(fixture.foreignPrivateKeyFile, 'utf8')),
  );
  const r = await bake(['plan', 'debian12-arm64', '--json', ...mirrorArgs(dir)], { BAKE_CACHE_DIR: cache });
  expect(r.code).toBe(ExitCode.Untrusted);
  expect(r.stderr).toMatch(/^bake: .*SHA256SUMS: signed by key [0-9A-F]{16}, which is not trusted/m);
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

test('every target renders byte-identical contexts twice', async () => {
  // debian13 bakes two Go lines: one target per line and arch.
  const targets = ['centos7', 'debian12', 'debian13', 'rocky9', 'ubuntu2404'].flatMap((r) =>
    ['amd64', 'arm64'].flatMap((arch) =>
      r === 'debian13' ? [`${r}-${arch}-go1.27`, `${r}-${arch}-go1.26`] : [`${r}-${arch}`],
    ),
  );
  const out = [join(scratch, 'render-1'), join(scratch, 'render-2')];
  for (const dir of out) {
    const r = await bake(['render', ...targets, '--out', dir, ...mirrorArgs(fixture.dir)]);
    expect(r.stderr).not.toMatch(/^bake:/m);
    expect(r.code).toBe(0);
  }
  const [first, second] = await Promise.all(out.map(listing));
  expect(Object.keys(first).length).toBeGreaterThan(targets.length * 2 * 4);
  expect(second).toEqual(first);
  for (const target of targets) expect(first[`${target}/toolchain/Dockerfile`]).toBeDefined();
});

/** Every file under `dir`: relative path to sha256 and mode. */
async function listing(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const stat = await fs.stat(path);
    out[relative(dir, path)] =
      `${(await sha256File(path)).sha256} ${(stat.mode & 0o777).toString(8)} ${stat.mtime.toISOString()}`;
  }
  return out;
}
