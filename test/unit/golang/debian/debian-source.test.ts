import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../../bake/common/errors';
import type { Logger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import type { CommandRunner } from '../../../../bake/common/types';
import { debianGoRecordPath, readDebianGoRecord } from '../../../../bake/golang/debian/debian-go-record';
import { createDebianGoSource } from '../../../../bake/golang/debian/debian-source';
import { DownloadCache } from '../../../../bake/golang/download-cache';
import type { GoSource } from '../../../../bake/golang/types';
import type { Arch } from '../../../../bake/recipe/types';

// A fake Debian archive answering for apt-get, apt-cache and dpkg: each ".deb" is a few bytes
// whose sha256 the fake Packages index lists, and `dpkg -x` lays out a miniature GOROOT.
const VERSION = '1.22.12-3~bpo12+1';
const debBytes = (pkg: string, arch: string) => Buffer.from(`deb ${pkg} ${VERSION} ${arch}\n`);

interface FakeArchive {
  run: CommandRunner;
  calls: string[];
  reachable: boolean;
  /** Bytes apt-get download writes, by file name (to simulate a corrupted download). */
  served: Map<string, Buffer>;
  versionFile: string;
}

function fakeArchive(): FakeArchive {
  const fake: FakeArchive = {
    run: async () => ({ code: 0, stdout: '', stderr: '' }),
    calls: [],
    reachable: true,
    served: new Map(),
    versionFile: 'go1.22.12\ntime 2025-01-31T18:38:03Z\n',
  };
  const packages = [
    { pkg: 'golang-1.22-go', arch: 'amd64' },
    { pkg: 'golang-1.22-go', arch: 'arm64' },
    { pkg: 'golang-1.22-src', arch: 'all' },
  ];
  const stanza = ({ pkg, arch }: { pkg: string; arch: string }) => {
    const bytes = debBytes(pkg, arch);
    return (
      `Package: ${pkg}\nSource: golang-1.22\nVersion: ${VERSION}\nArchitecture: ${arch}\n` +
      `Filename: pool/main/g/golang-1.22/${pkg}_${VERSION}_${arch}.deb\n` +
      `Size: ${bytes.length}\nSHA256: ${sha256Hex(bytes)}\n`
    );
  };
  const bySha = new Map(packages.map((p) => [sha256Hex(debBytes(p.pkg, p.arch)), p]));
  fake.run = async (command, args, options) => {
    const sub = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-o');
    fake.calls.push(`${command} ${sub.join(' ')}`);
    if (command === 'dpkg') {
      const [deb, root] = sub;
      const p = bySha.get(deb.split('/').pop()!)!;
      if (p.pkg.endsWith('-go')) {
        const lib = join(root, 'usr/lib/go-1.22');
        await fs.mkdir(join(lib, 'bin'), { recursive: true });
        await fs.writeFile(join(lib, 'VERSION'), fake.versionFile);
        await fs.writeFile(join(lib, 'bin/go'), `go for ${p.arch}\n`, { mode: 0o755 });
        await fs.symlink('../../share/go-1.22/src', join(lib, 'src'));
      } else {
        await fs.mkdir(join(root, 'usr/share/go-1.22/src/runtime'), { recursive: true });
        await fs.writeFile(join(root, 'usr/share/go-1.22/src/runtime/a.go'), 'package runtime\n');
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    if (!fake.reachable)
      return {
        code: 100,
        stdout: '',
        stderr: 'E: Failed to fetch http://mirror.example.org/debian  Could not connect\n',
      };
    if (sub[0] === 'pkgnames')
      return { code: 0, stdout: 'golang-1.22\ngolang-1.22-doc\ngolang-1.22-go\ngolang-1.22-src\n', stderr: '' };
    if (sub[0] === 'show') {
      const wanted = sub.slice(1);
      const text = packages
        .filter((p) => wanted.includes(p.arch === 'all' ? p.pkg : `${p.pkg}:${p.arch}`))
        .map(stanza)
        .join('\n');
      return { code: 0, stdout: text, stderr: '' };
    }
    if (sub[0] === 'download') {
      for (const spec of sub.slice(1)) {
        const m = /^([^:=]+)(?::([a-z0-9]+))?=(.+)$/.exec(spec)!;
        const arch = m[2] ?? 'all';
        const name = `${m[1]}_${m[3]}_${arch}.deb`;
        await fs.writeFile(join(options!.cwd!, name), fake.served.get(name) ?? debBytes(m[1], arch));
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  return fake;
}

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await fs.mkdtemp(join(tmpdir(), 'bake-debian-source-'));
});
afterEach(() => fs.rm(cacheDir, { recursive: true, force: true }));

const quiet: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
const env = { BAKE_DEBIAN_MIRROR: 'http://mirror.example.org/debian' };

function source(fake: FakeArchive, logger: Logger = quiet): GoSource {
  return createDebianGoSource({ cache: new DownloadCache(cacheDir), cacheDir, logger, runApt: fake.run, env });
}

async function fetchVersion(src: GoSource, arch: Arch) {
  const [release] = await src.index(arch);
  return src.fetch(release.files[0], arch);
}

test('index lists the Go releases in the official format; sha256 only once repacked', async () => {
  const fake = fakeArchive();
  const src = source(fake);
  expect(src.kind).toBe('debian');
  expect(await src.index('arm64')).toEqual([
    {
      version: 'go1.22.12',
      stable: true,
      files: [
        {
          filename: 'go1.22.12.linux-arm64.tar.gz',
          os: 'linux',
          arch: 'arm64',
          version: 'go1.22.12',
          sha256: '',
          size: 0,
          kind: 'archive',
        },
      ],
    },
  ]);
  const dist = await fetchVersion(src, 'arm64');
  const [again] = await source(fake).index('arm64');
  expect(again.files[0]).toMatchObject({ sha256: dist.sha256, size: dist.size });
});

test('fetch downloads the exact versions, repacks, caches, records, and says what was verified', async () => {
  const fake = fakeArchive();
  const dist = await fetchVersion(source(fake), 'arm64');
  expect(fake.calls).toContain(`apt-get download golang-1.22-go:arm64=${VERSION} golang-1.22-src=${VERSION}`);
  expect(dist).toMatchObject({
    version: '1.22.12',
    arch: 'arm64',
    source: 'debian',
    filename: 'go1.22.12.linux-arm64.tar.gz',
    origin: `debian:golang-1.22-go=${VERSION},golang-1.22-src=${VERSION}`,
  });
  expect(dist.verifiedBy).toEqual([
    'Debian archive InRelease signature checked by apt against /usr/share/keyrings/debian-archive-keyring.gpg',
    `golang-1.22-go ${VERSION}: sha256 ${sha256Hex(debBytes('golang-1.22-go', 'arm64'))} ` +
      'as in the signed Packages index',
    `golang-1.22-src ${VERSION}: sha256 ${sha256Hex(debBytes('golang-1.22-src', 'all'))} ` +
      'as in the signed Packages index',
    `repacked by bake into go1.22.12.linux-arm64.tar.gz: sha256 ${dist.sha256}`,
  ]);
  expect(sha256Hex(await fs.readFile(dist.path))).toBe(dist.sha256);
  expect(await readDebianGoRecord(debianGoRecordPath(cacheDir, 'golang-1.22-go', VERSION, 'arm64'))).toEqual({
    filename: dist.filename,
    sha256: dist.sha256,
    size: dist.size,
    debs: [
      { package: 'golang-1.22-go', version: VERSION, sha256: sha256Hex(debBytes('golang-1.22-go', 'arm64')) },
      { package: 'golang-1.22-src', version: VERSION, sha256: sha256Hex(debBytes('golang-1.22-src', 'all')) },
    ],
  });
  // Nothing of the work directory is left behind.
  expect((await fs.readdir(join(cacheDir, 'debian-go'))).filter((n) => n.startsWith('.'))).toEqual([]);
});

test('a later run reuses the recorded repack without running apt at all', async () => {
  const first = fakeArchive();
  const file = (await source(first).index('amd64'))[0].files[0];
  const dist = await source(first).fetch(file, 'amd64');
  const later = fakeArchive();
  const again = await source(later).fetch(file, 'amd64');
  expect(later.calls).toEqual([]);
  expect(again).toEqual(dist);
});

test('the -src package is downloaded once for both architectures', async () => {
  const fake = fakeArchive();
  const src = source(fake);
  await fetchVersion(src, 'amd64');
  await fetchVersion(src, 'arm64');
  expect(fake.calls.filter((c) => c.startsWith('apt-get download'))).toEqual([
    `apt-get download golang-1.22-go:amd64=${VERSION} golang-1.22-src=${VERSION}`,
    `apt-get download golang-1.22-go:arm64=${VERSION}`,
  ]);
  expect(fake.calls.filter((c) => c.startsWith('apt-get update'))).toHaveLength(1);
});

test('two fetches of the same archive at once (a target and a builder) repack it once', async () => {
  const fake = fakeArchive();
  const src = source(fake);
  const [release] = await src.index('arm64');
  const [a, b] = await Promise.all([src.fetch(release.files[0], 'arm64'), src.fetch(release.files[0], 'arm64')]);
  expect(a).toEqual(b);
  expect(fake.calls.filter((c) => c.startsWith('apt-get download'))).toHaveLength(1);
  expect(fake.calls.filter((c) => c.startsWith('dpkg'))).toHaveLength(2);
  // Once settled, a later fetch asks the cache again and finds the repack there.
  expect(await src.fetch(release.files[0], 'arm64')).toEqual(a);
  expect(fake.calls.filter((c) => c.startsWith('apt-get download'))).toHaveLength(1);
});

test('a .deb that does not match the signed index is refused and nothing is cached or recorded', async () => {
  const fake = fakeArchive();
  const tampered = debBytes('golang-1.22-go', 'arm64');
  tampered[0] ^= 1;
  fake.served.set(`golang-1.22-go_${VERSION}_arm64.deb`, tampered);
  const error = await fetchVersion(source(fake), 'arm64').catch((err: unknown) => err);
  expect(error).toMatchObject({ exitCode: ExitCode.Untrusted });
  expect((error as Error).message).toMatch(
    /^golang-1\.22-go_1\.22\.12-3~bpo12\+1_arm64\.deb: sha256 [0-9a-f]{64} does not match/,
  );
  expect(await fs.readdir(join(cacheDir, 'debian-go'))).toEqual([]);
  // At most the intact -src .deb may be cached; never the tampered one, never a repack.
  const cached = await fs.readdir(join(cacheDir, 'sha256')).catch(() => []);
  expect(cached.filter((n) => n !== sha256Hex(debBytes('golang-1.22-src', 'all')))).toEqual([]);
});

test('packages whose VERSION is not the advertised Go version are refused', async () => {
  const fake = fakeArchive();
  fake.versionFile = 'go1.22.11\n';
  await expect(fetchVersion(source(fake), 'amd64')).rejects.toMatchObject({
    exitCode: ExitCode.Untrusted,
    message: expect.stringContaining('VERSION says "go1.22.11"'),
  });
});

test('an unreachable archive with no earlier repack is an unavailable source', async () => {
  const fake = fakeArchive();
  fake.reachable = false;
  await expect(source(fake).index('amd64')).rejects.toMatchObject({
    name: 'SourceUnavailableError',
    exitCode: ExitCode.Unavailable,
  });
});

test('an unreachable archive with no lists falls back to earlier repacks, with a warning', async () => {
  const fake = fakeArchive();
  const dist = await fetchVersion(source(fake), 'arm64');
  await fs.rm(join(cacheDir, 'apt'), { recursive: true });
  fake.reachable = false;
  const warnings: string[] = [];
  const offline = source(fake, { ...quiet, warn: (m) => warnings.push(m) });
  const index = await offline.index('arm64');
  expect(index).toEqual([
    {
      version: 'go1.22.12',
      stable: true,
      files: [
        {
          filename: 'go1.22.12.linux-arm64.tar.gz',
          os: 'linux',
          arch: 'arm64',
          version: 'go1.22.12',
          sha256: dist.sha256,
          size: dist.size,
          kind: 'archive',
        },
      ],
    },
  ]);
  expect(warnings).toEqual([
    expect.stringMatching(/^apt-get update of .*Could not connect; using the 1 Go release\(s\) repacked earlier/),
  ]);
  expect(await offline.index('amd64').catch((err: unknown) => err)).toMatchObject({ name: 'SourceUnavailableError' });
  expect(await offline.fetch(index[0].files[0], 'arm64')).toEqual(dist);
});
