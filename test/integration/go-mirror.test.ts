// The real offline Go mirror fixture: built from Debian's packages by `bake go mirror
// --from debian`'s code, signed with a test key, then read back through the production
// mirror source. Needs Debian's archive (first run only) but no Docker engine.
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { BakeError, ExitCode } from '../../bake/common/errors';
import { silentLogger } from '../../bake/common/log';
import { runCommand } from '../../bake/common/run-command';
import { listDebianGoRecords } from '../../bake/golang/debian/debian-go-record';
import { DownloadCache } from '../../bake/golang/download-cache';
import { createMirrorGoSource } from '../../bake/golang/mirror/mirror-source';
import { linuxArchiveName } from '../../bake/golang/official/release-index';
import { repackDebianGo } from '../../bake/golang/debian/repack-debian-go';
import { loadTrustedKeys } from '../../bake/golang/trust/trusted-keys';
import type { Arch } from '../../bake/recipe/types';
import {
  ensureGoMirrorFixture,
  FIXTURE_ARCHES,
  FIXTURE_VERSIONS,
  type GoMirrorFixture,
  signDetached,
} from '../support/go-mirror-fixture';

const run = promisify(execFile);
const QEMU_AARCH64 = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
// A cold fixture downloads about 180 MB of .debs and repacks four toolchains.
const FIXTURE_TIMEOUT_MS = 20 * 60 * 1000;
const TEST_TIMEOUT_MS = 5 * 60 * 1000;
jest.setTimeout(TEST_TIMEOUT_MS);

let fixture: GoMirrorFixture;
let scratch: string;

beforeAll(async () => {
  fixture = await ensureGoMirrorFixture();
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-go-mirror-test-'));
}, FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

const archiveNames = FIXTURE_VERSIONS.flatMap((v) => FIXTURE_ARCHES.map((a) => linuxArchiveName(`go${v}`, a))).sort();

test('a second call reuses the verified fixture', async () => {
  const again = await ensureGoMirrorFixture({ logger: silentLogger });
  expect(again.built).toBe(false);
  expect(again.dir).toBe(fixture.dir);
  console.log(
    `Go mirror fixture: first call ${fixture.built ? 'built' : 'reused'} it in ${fixture.seconds.toFixed(1)} s; ` +
      `warm call ${again.seconds.toFixed(1)} s`,
  );
});

test('the mirror holds the four archives, index.json, SHA256SUMS over all of them, and its signature', async () => {
  const names = (await fs.readdir(fixture.dir)).sort();
  expect(names).toEqual([...archiveNames, 'SHA256SUMS', 'SHA256SUMS.asc', 'index.json'].sort());
  const sums = await fs.readFile(join(fixture.dir, 'SHA256SUMS'), 'utf8');
  const lines = sums.trimEnd().split('\n');
  expect(lines.map((l) => l.slice(66))).toEqual([...archiveNames, 'index.json'].sort());
  for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} {2}[^ ]+$/);
  // The real tool, in the directory, as a site would check it.
  const checked = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: fixture.dir });
  expect(checked.stdout.trim().split('\n').sort()).toEqual(
    [...archiveNames, 'index.json'].sort().map((n) => `${n}: OK`),
  );
});

test('the production mirror source verifies the signature with the fixture key and serves the archives', async () => {
  const cache = new DownloadCache(join(scratch, 'cache'));
  const trustedKeys = await loadTrustedKeys({ files: [fixture.trustKeyFile], env: {} });
  const source = createMirrorGoSource({ location: fixture.dir, cache, trustedKeys, logger: silentLogger });
  for (const arch of FIXTURE_ARCHES) {
    const index = await source.index(arch);
    expect(index.map((r) => r.version)).toEqual(['go1.27.4', 'go1.26.11']);
    const dist = await source.fetch(index[1].files[0], arch);
    expect(dist).toMatchObject({
      version: '1.26.11',
      arch,
      source: 'mirror',
      filename: `go1.26.11.linux-${arch}.tar.gz`,
    });
    expect(dist.verifiedBy.join('\n')).toMatch(/OpenPGP signature/);
  }
});

test('a signature by another key is refused', async () => {
  const copy = join(scratch, 'foreign-mirror');
  await fs.mkdir(copy);
  for (const name of ['index.json', 'SHA256SUMS']) await fs.copyFile(join(fixture.dir, name), join(copy, name));
  const sums = await fs.readFile(join(copy, 'SHA256SUMS'));
  await fs.writeFile(
    join(copy, 'SHA256SUMS.asc'),
    await signDetached(sums, await fs.readFile(fixture.foreignPrivateKeyFile, 'utf8')),
  );
  const trustedKeys = await loadTrustedKeys({ files: [fixture.trustKeyFile], env: {} });
  const source = createMirrorGoSource({
    location: copy,
    cache: new DownloadCache(join(scratch, 'cache-foreign')),
    trustedKeys,
    logger: silentLogger,
  });
  const error = await source.index('amd64').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(BakeError);
  expect((error as BakeError).exitCode).toBe(ExitCode.Untrusted);
  expect((error as BakeError).message).toMatch(/SHA256SUMS.*not trusted/);
});

test('an archive altered by one byte is refused, naming the file', async () => {
  const copy = join(scratch, 'altered-mirror');
  await fs.mkdir(copy);
  for (const name of ['index.json', 'SHA256SUMS', 'SHA256SUMS.asc'])
    await fs.copyFile(join(fixture.dir, name), join(copy, name));
  const name = 'go1.26.11.linux-arm64.tar.gz';
  const bytes = await fs.readFile(join(fixture.dir, name));
  bytes[bytes.length >> 1] ^= 0xff;
  await fs.writeFile(join(copy, name), bytes);
  const trustedKeys = await loadTrustedKeys({ files: [fixture.trustKeyFile], env: {} });
  const cache = new DownloadCache(join(scratch, 'cache-altered'));
  const source = createMirrorGoSource({ location: copy, cache, trustedKeys, logger: silentLogger });
  const file = (await source.index('arm64')).find((r) => r.version === 'go1.26.11')!.files[0];
  const error = await source.fetch(file, 'arm64').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect((error as BakeError).exitCode).toBe(ExitCode.Untrusted);
  expect((error as BakeError).message).toContain(name);
  expect(await fs.readdir(join(cache.dir, 'sha256')).catch(() => [])).toEqual([]);
});

test(
  'every archive has the official layout: ' + 'go/ only, root-owned, no links, nothing group/other-writable',
  async () => {
    for (const name of archiveNames) {
      const problems: string[] = [];
      let entries = 0;
      let version = '';
      const tar = extract();
      tar.on('entry', (header, stream, next) => {
        entries++;
        if (!header.name.startsWith('go/')) problems.push(`${header.name}: outside go/`);
        if (header.uid !== 0 || header.gid !== 0 || header.uname !== 'root' || header.gname !== 'root')
          problems.push(`${header.name}: not root:root`);
        if (header.type !== 'file' && header.type !== 'directory') problems.push(`${header.name}: ${header.type}`);
        if ((header.mode ?? 0) & 0o7022) problems.push(`${header.name}: mode ${(header.mode ?? 0).toString(8)}`);
        if (header.name === 'go/VERSION') {
          const chunks: Buffer[] = [];
          stream.on('data', (c) => chunks.push(c as Buffer));
          stream.on('end', () => {
            version = Buffer.concat(chunks).toString('utf8').split('\n')[0];
            next();
          });
          return;
        }
        stream.on('end', next);
        stream.resume();
      });
      await new Promise<void>((resolve, reject) => {
        tar.on('finish', resolve);
        tar.on('error', reject);
        createReadStream(join(fixture.dir, name)).pipe(createGunzip()).on('error', reject).pipe(tar);
      });
      expect(problems.slice(0, 5)).toEqual([]);
      expect(entries).toBeGreaterThan(10000);
      expect(`${version}.linux-${name.split('linux-')[1].replace('.tar.gz', '')}.tar.gz`).toBe(name);
    }
  },
);

async function goVersionOf(arch: Arch): Promise<string> {
  const dir = await fs.mkdtemp(join(scratch, `go-${arch}-`));
  await run('tar', ['-xzf', join(fixture.dir, `go1.26.11.linux-${arch}.tar.gz`), '-C', dir]);
  const { stdout } = await run(join(dir, 'go', 'bin', 'go'), ['version'], {
    env: { ...process.env, GOTOOLCHAIN: 'local', GOROOT: '' },
  });
  return stdout.trim();
}

test('the amd64 toolchain runs: go version prints go1.26.11 linux/amd64', async () => {
  expect(await goVersionOf('amd64')).toBe('go version go1.26.11 linux/amd64');
});

test('the arm64 toolchain runs under qemu: go version prints go1.26.11 linux/arm64', async () => {
  if (!existsSync(QEMU_AARCH64)) {
    console.log(
      `arm64 go version not run: ${QEMU_AARCH64} is absent (no qemu-user binfmt handler registered); ` +
        'the archive layout was still checked above',
    );
    return;
  }
  expect(await goVersionOf('arm64')).toBe('go version go1.26.11 linux/arm64');
});

test('repacking the same .debs again gives a byte-identical archive', async () => {
  const record = (await listDebianGoRecords(fixture.cacheDir)).find(
    (r) => r.filename === 'go1.26.11.linux-amd64.tar.gz',
  );
  expect(record).toBeDefined();
  const cache = new DownloadCache(fixture.cacheDir);
  const root = join(scratch, 'repack-root');
  await fs.mkdir(root);
  for (const deb of record!.debs) {
    const path = await cache.get(deb.sha256);
    expect(path).toBeDefined();
    expect((await runCommand('dpkg', ['-x', path!, root])).code).toBe(0);
  }
  const started = Date.now();
  const again = await repackDebianGo({
    goRoot: join(root, 'usr/lib/go-1.26'),
    within: root,
    output: join(scratch, 'again.tar.gz'),
  });
  console.log(`repack of ${record!.filename}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(again.sha256).toBe(record!.sha256);
  expect(again.size).toBe(record!.size);
});
