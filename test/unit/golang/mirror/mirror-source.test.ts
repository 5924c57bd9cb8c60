import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../../bake/common/errors';
import { silentLogger } from '../../../../bake/common/log';
import { DownloadCache } from '../../../../bake/golang/download-cache';
import { createMirrorGoSource } from '../../../../bake/golang/mirror/mirror-source';
import { resolveRelease } from '../../../../bake/golang/resolve-release';
import { SourceUnavailableError } from '../../../../bake/golang/source-unavailable-error';
import type { GoSource } from '../../../../bake/golang/types';
import {
  buildReleases,
  DEFAULT_RELEASES,
  keyIdOf,
  listCache,
  makeTestKey,
  NOW,
  sha256,
  signDetached,
  TEST_POLICY,
  tempDir,
  type BuiltReleases,
  type TestKey,
  type TestMirror,
  writeMirror,
} from '../go-fixtures';
import { serveFiles } from '../http-fixture';

let siteKey: TestKey;
let otherKey: TestKey;
let built: BuiltReleases;

beforeAll(async () => {
  [siteKey, otherKey] = await Promise.all([makeTestKey('Site Mirror'), makeTestKey('Other')]);
  built = await buildReleases(DEFAULT_RELEASES);
});

interface Setup {
  mirror: TestMirror;
  cacheDir: string;
  source: () => GoSource;
}

async function setup(): Promise<Setup> {
  const mirror = await writeMirror(join(await tempDir('mirror'), 'mirror'), built, siteKey);
  const cacheDir = await tempDir('cache');
  const source = () =>
    createMirrorGoSource({
      location: mirror.dir,
      cache: new DownloadCache(cacheDir),
      trustedKeys: [siteKey.trusted],
      logger: silentLogger,
    });
  return { mirror, cacheDir, source };
}

async function fetch122(source: GoSource) {
  const { file } = resolveRelease(await source.index('arm64'), '1.22.x', 'arm64', TEST_POLICY, NOW, source.location);
  return source.fetch(file, 'arm64');
}

async function untrusted(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  expect(err).not.toBeInstanceOf(SourceUnavailableError);
  expect((err as BakeError).exitCode).toBe(ExitCode.Untrusted);
  return (err as Error).message;
}

describe('mirror source (directory)', () => {
  it('verifies a good mirror and caches the archive', async () => {
    const { mirror, cacheDir, source } = await setup();
    const dist = await fetch122(source());
    const name = 'go1.22.12.linux-arm64.tar.gz';
    const expected = sha256(mirror.archives.get(name)!);
    expect(dist).toMatchObject({
      version: '1.22.12',
      arch: 'arm64',
      source: 'mirror',
      filename: name,
      sha256: expected,
      origin: join(mirror.dir, name),
    });
    expect(dist.verifiedBy[0]).toBe(
      `OpenPGP signature ${join(mirror.dir, 'SHA256SUMS.asc')} by key ${keyIdOf(siteKey)} ` +
        `of ${siteKey.trusted.fingerprint.toUpperCase()} (Site Mirror <site-mirror@example.test>)`,
    );
    expect(dist.path).toBe(join(cacheDir, 'sha256', expected));
    expect(await fs.readFile(dist.path)).toEqual(mirror.archives.get(name));
    expect(await listCache(cacheDir)).toEqual([expected]);
  });

  it('offers only the releases whose archive the mirror holds', async () => {
    const { mirror, source } = await setup();
    // An index of every release, but SHA256SUMS (and the directory) without 1.22.12.
    const name = 'go1.22.12.linux-arm64.tar.gz';
    const sums = mirror.sums
      .split('\n')
      .filter((l) => !l.endsWith(name))
      .join('\n');
    await fs.writeFile(join(mirror.dir, 'SHA256SUMS'), sums);
    await fs.writeFile(join(mirror.dir, 'SHA256SUMS.asc'), await signDetached(sums, siteKey));
    const versions = (await source().index('arm64')).map((r) => r.version);
    expect(versions).toEqual(['go1.23.5', 'go1.23rc1', 'go1.22.10', 'go1.22']);
  });

  it('reuses the cache on a second run without reading the mirror archive', async () => {
    const { mirror, cacheDir, source } = await setup();
    const first = await fetch122(source());
    await fs.rm(join(mirror.dir, first.filename));
    const second = await fetch122(source());
    expect(second).toEqual(first);
    expect(await listCache(cacheDir)).toHaveLength(1);
  });

  it('rejects an archive altered by one byte, naming the file, and caches nothing', async () => {
    const { mirror, cacheDir, source } = await setup();
    const path = join(mirror.dir, 'go1.22.12.linux-arm64.tar.gz');
    const bytes = await fs.readFile(path);
    bytes[bytes.length >> 1] ^= 0xff;
    await fs.writeFile(path, bytes);
    const message = await untrusted(fetch122(source()));
    expect(message).toMatch(
      new RegExp(
        `^${path}: sha256 [0-9a-f]{64} ` +
          `does not match the signed manifest's ${sha256(mirror.archives.get('go1.22.12.linux-arm64.tar.gz')!)}$`,
      ),
    );
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects a truncated archive, naming the file', async () => {
    const { mirror, cacheDir, source } = await setup();
    const path = join(mirror.dir, 'go1.22.12.linux-arm64.tar.gz');
    await fs.truncate(path, 1000);
    const message = await untrusted(fetch122(source()));
    expect(message).toBe(
      `${path}: size 1000 bytes, expected ${mirror.archives.get('go1.22.12.linux-arm64.tar.gz')!.length} ` +
        '(truncated or altered download)',
    );
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects SHA256SUMS signed by an untrusted key, naming the signer key id', async () => {
    const { mirror, cacheDir, source } = await setup();
    await fs.writeFile(join(mirror.dir, 'SHA256SUMS.asc'), await signDetached(mirror.sums, otherKey));
    const message = await untrusted(fetch122(source()));
    expect(message).toBe(
      `${join(mirror.dir, 'SHA256SUMS')}: signed by key ${keyIdOf(otherKey)}, ` +
        'which is not trusted (trust it with --trust-key FILE or BAKE_TRUST_KEYS)',
    );
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects a missing SHA256SUMS.asc', async () => {
    const { mirror, source } = await setup();
    await fs.rm(join(mirror.dir, 'SHA256SUMS.asc'));
    expect(await untrusted(source().index('arm64'))).toMatch(
      new RegExp(`^${join(mirror.dir, 'SHA256SUMS.asc')}: missing signature; an unsigned mirror is not trusted`),
    );
  });

  it('rejects a SHA256SUMS changed after signing (bad signature)', async () => {
    const { mirror, source } = await setup();
    await fs.writeFile(
      join(mirror.dir, 'SHA256SUMS'),
      mirror.sums.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    expect(await untrusted(source().index('arm64'))).toMatch(
      new RegExp(`^${join(mirror.dir, 'SHA256SUMS')}: bad signature by key ${keyIdOf(siteKey)}`),
    );
  });

  it('rejects an index.json whose hash does not match SHA256SUMS', async () => {
    const { mirror, source } = await setup();
    const index = JSON.parse(await fs.readFile(join(mirror.dir, 'index.json'), 'utf8'));
    index[2].files[1].sha256 = sha256('evil');
    await fs.writeFile(join(mirror.dir, 'index.json'), JSON.stringify(index));
    expect(await untrusted(source().index('arm64'))).toMatch(
      new RegExp(
        `^${join(mirror.dir, 'index.json')}: sha256 [0-9a-f]{64} does not match [0-9a-f]{64} in the signed SHA256SUMS$`,
      ),
    );
  });

  it('rejects an archive on which SHA256SUMS and index.json disagree', async () => {
    const { mirror, source } = await setup();
    // A consistent, signed mirror whose index lies about one archive's hash.
    const index = JSON.parse(await fs.readFile(join(mirror.dir, 'index.json'), 'utf8'));
    index[2].files[1].sha256 = sha256('other');
    const indexJson = JSON.stringify(index);
    await fs.writeFile(join(mirror.dir, 'index.json'), indexJson);
    const sums = mirror.sums.replace(/^[0-9a-f]{64} {2}index\.json$/m, `${sha256(indexJson)}  index.json`);
    await fs.writeFile(join(mirror.dir, 'SHA256SUMS'), sums);
    await fs.writeFile(join(mirror.dir, 'SHA256SUMS.asc'), await signDetached(sums, siteKey));
    const message = await untrusted(fetch122(source()));
    expect(message).toBe(
      `${join(mirror.dir, 'go1.22.12.linux-arm64.tar.gz')}: ` +
        `SHA256SUMS lists sha256 ${sha256(mirror.archives.get('go1.22.12.linux-arm64.tar.gz')!)} ` +
        `but index.json says ${sha256('other')}`,
    );
  });

  it('is unavailable (a fallback reason) when the directory does not exist', async () => {
    const source = createMirrorGoSource({
      location: '/nonexistent/mirror',
      cache: new DownloadCache(await tempDir('cache')),
      trustedKeys: [siteKey.trusted],
      logger: silentLogger,
    });
    await expect(source.index('arm64')).rejects.toThrow(SourceUnavailableError);
    await expect(source.index('arm64')).rejects.toThrow('/nonexistent/mirror: no such mirror directory');
  });
});

describe('mirror source (http)', () => {
  it('verifies and caches from a URL, then reuses the cache', async () => {
    const { mirror } = await setup();
    const files = new Map<string, Uint8Array | string>();
    for (const name of await fs.readdir(mirror.dir))
      files.set(`/go/${name}`, await fs.readFile(join(mirror.dir, name)));
    const server = await serveFiles(files);
    try {
      const cacheDir = await tempDir('cache');
      const make = () =>
        createMirrorGoSource({
          location: `${server.url}/go`,
          cache: new DownloadCache(cacheDir),
          trustedKeys: [siteKey.trusted],
          logger: silentLogger,
        });
      const dist = await fetch122(make());
      expect(dist.origin).toBe(`${server.url}/go/go1.22.12.linux-arm64.tar.gz`);
      expect(await listCache(cacheDir)).toEqual([dist.sha256]);
      await fetch122(make());
      expect(server.requests.filter((r) => r.endsWith('.tar.gz'))).toEqual(['/go/go1.22.12.linux-arm64.tar.gz']);
      expect(server.requests.filter((r) => r === '/go/SHA256SUMS.asc')).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('treats a 404 for SHA256SUMS.asc as a missing signature, not an outage', async () => {
    const server = await serveFiles(new Map([['/SHA256SUMS', 'x']]));
    try {
      const source = createMirrorGoSource({
        location: server.url,
        cache: new DownloadCache(await tempDir('cache')),
        trustedKeys: [siteKey.trusted],
        logger: silentLogger,
      });
      expect(await untrusted(source.index('amd64'))).toMatch(/SHA256SUMS\.asc: missing signature/);
    } finally {
      await server.close();
    }
  });
});
