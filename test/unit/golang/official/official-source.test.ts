import { BakeError, ExitCode } from '../../../../bake/common/errors';
import { silentLogger } from '../../../../bake/common/log';
import { DownloadCache } from '../../../../bake/golang/download-cache';
import { createOfficialGoSource, OFFICIAL_DOWNLOAD_BASE } from '../../../../bake/golang/official/official-source';
import { OFFICIAL_INDEX_URL } from '../../../../bake/golang/official/release-index';
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
} from '../go-fixtures';
import { closedPort, serveFiles, type TestServer } from '../http-fixture';

const INDEX_PATH = '/dl/?mode=json&include=all';
const NAME = 'go1.22.12.linux-arm64.tar.gz';

let releaseKey: TestKey;
let otherKey: TestKey;
let built: BuiltReleases;

beforeAll(async () => {
  [releaseKey, otherKey] = await Promise.all([makeTestKey('Test Go Release'), makeTestKey('Other')]);
  built = await buildReleases(DEFAULT_RELEASES);
});

/** go.dev and dl.google.com on one local server: the index plus each archive and its .asc. */
async function officialServer(signer: TestKey = releaseKey): Promise<TestServer> {
  const files = new Map<string, Uint8Array | string>([[INDEX_PATH, JSON.stringify(built.index)]]);
  for (const [name, data] of built.archives) {
    files.set(`/go/${name}`, data);
    files.set(`/go/${name}.asc`, await signDetached(data, signer));
  }
  return serveFiles(files);
}

function official(server: { url: string }, cacheDir: string, keys = [releaseKey.trusted]): GoSource {
  return createOfficialGoSource({
    cache: new DownloadCache(cacheDir),
    logger: silentLogger,
    indexUrl: `${server.url}${INDEX_PATH}`,
    downloadBase: `${server.url}/go`,
    keys,
  });
}

async function fetch122(source: GoSource) {
  const { file } = resolveRelease(await source.index('arm64'), '1.22.x', 'arm64', TEST_POLICY, NOW, source.location);
  return source.fetch(file, 'arm64');
}

async function failure(promise: Promise<unknown>): Promise<BakeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BakeError);
  return err as BakeError;
}

let server: TestServer;
afterEach(async () => server?.close());

describe('official source', () => {
  it('defaults to the real index, download site and the embedded Go key', () => {
    expect(OFFICIAL_INDEX_URL).toBe('https://go.dev/dl/?mode=json&include=all');
    expect(OFFICIAL_DOWNLOAD_BASE).toBe('https://dl.google.com/go/');
    expect(createOfficialGoSource({ cache: new DownloadCache('/nonexistent'), logger: silentLogger }).location).toBe(
      'https://dl.google.com/go/',
    );
  });

  it('fetches, verifies sha256 and signature, and caches the archive', async () => {
    server = await officialServer();
    const cacheDir = await tempDir('cache');
    const dist = await fetch122(official(server, cacheDir));
    const expected = sha256(built.archives.get(NAME)!);
    expect(dist).toMatchObject({
      version: '1.22.12',
      source: 'official',
      filename: NAME,
      sha256: expected,
      origin: `${server.url}/go/${NAME}`,
    });
    expect(dist.verifiedBy).toEqual([
      `sha256 and size match the official index ${server.url}${INDEX_PATH}`,
      `OpenPGP signature ${NAME}.asc by key ${keyIdOf(releaseKey)} ` +
        `of ${releaseKey.trusted.fingerprint.toUpperCase()} (Test Go Release <test-go-release@example.test>)`,
    ]);
    expect(await listCache(cacheDir)).toEqual([expected]);
  });

  it('reuses the cached archive on the next run (signature checked again, archive not fetched)', async () => {
    server = await officialServer();
    const cacheDir = await tempDir('cache');
    const first = await fetch122(official(server, cacheDir));
    const second = await fetch122(official(server, cacheDir));
    expect(second).toEqual(first);
    expect(server.requests.filter((r) => r === `/go/${NAME}`)).toHaveLength(1);
    expect(server.requests.filter((r) => r === `/go/${NAME}.asc`)).toHaveLength(2);
  });

  it('trusts only the embedded Go key by default', async () => {
    server = await officialServer();
    const cacheDir = await tempDir('cache');
    const source = createOfficialGoSource({
      cache: new DownloadCache(cacheDir),
      logger: silentLogger,
      indexUrl: `${server.url}${INDEX_PATH}`,
      downloadBase: `${server.url}/go`,
    });
    const err = await failure(fetch122(source));
    expect(err.exitCode).toBe(ExitCode.Untrusted);
    expect(err.message).toBe(
      `${server.url}/go/${NAME}: signed by key ${keyIdOf(releaseKey)}, ` +
        'which is not trusted (trust it with --trust-key FILE or BAKE_TRUST_KEYS)',
    );
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects a signature by another key and caches nothing', async () => {
    server = await officialServer(otherKey);
    const cacheDir = await tempDir('cache');
    const err = await failure(fetch122(official(server, cacheDir)));
    expect(err.exitCode).toBe(ExitCode.Untrusted);
    expect(err.message).toContain(`signed by key ${keyIdOf(otherKey)}, which is not trusted`);
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects a missing .asc', async () => {
    server = await officialServer();
    server.files.delete(`/go/${NAME}.asc`);
    const err = await failure(fetch122(official(server, await tempDir('cache'))));
    expect(err.exitCode).toBe(ExitCode.Untrusted);
    expect(err.message).toBe(`${server.url}/go/${NAME}: missing signature (${server.url}/go/${NAME}.asc not found)`);
  });

  it('rejects an altered archive, naming it, and caches nothing', async () => {
    server = await officialServer();
    const altered = Buffer.from(built.archives.get(NAME)!);
    altered[100] ^= 1;
    server.files.set(`/go/${NAME}`, altered);
    const cacheDir = await tempDir('cache');
    const err = await failure(fetch122(official(server, cacheDir)));
    expect(err.exitCode).toBe(ExitCode.Untrusted);
    expect(err.message).toBe(
      `${server.url}/go/${NAME}: sha256 ${sha256(altered)} ` +
        `does not match the official index's ${sha256(built.archives.get(NAME)!)}`,
    );
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('rejects a truncated archive', async () => {
    server = await officialServer();
    server.files.set(`/go/${NAME}`, built.archives.get(NAME)!.subarray(0, 500));
    const err = await failure(fetch122(official(server, await tempDir('cache'))));
    expect(err.message).toBe(
      `${server.url}/go/${NAME}: size 500 bytes, expected ${built.archives.get(NAME)!.length} ` +
        '(truncated or altered download)',
    );
  });

  it('rejects a malformed index as an error, not as an outage', async () => {
    server = await serveFiles(new Map([[INDEX_PATH, '<html>captive portal</html>']]));
    const err = await failure(official(server, await tempDir('cache')).index('arm64'));
    expect(err).not.toBeInstanceOf(SourceUnavailableError);
    expect(err.message).toMatch(
      new RegExp(`^malformed Go release index from ${server.url}/dl/\\?mode=json&include=all: not JSON`),
    );
  });

  it.each([
    ['a server error', 500, 'HTTP 500 Internal Server Error'],
    ['a missing index', 404, 'the Go release index was not found (HTTP 404)'],
  ])('is unavailable (a fallback reason) on %s', async (_name, status, reason) => {
    server = await serveFiles(new Map(), new Map([[INDEX_PATH, status]]));
    const err = await failure(official(server, await tempDir('cache')).index('amd64'));
    expect(err).toBeInstanceOf(SourceUnavailableError);
    expect(err.message).toBe(`${server.url}${INDEX_PATH}: ${reason}`);
  });

  it.each([
    ['127.0.0.1:1 (a port fetch refuses)', async () => 'http://127.0.0.1:1', /bad port/],
    ['a closed port (connection refused)', async () => `http://127.0.0.1:${await closedPort()}`, /ECONNREFUSED/],
    ['a host that does not resolve', async () => 'http://go-dev.invalid', /ENOTFOUND|EAI_AGAIN|no answer within/],
  ])('is unavailable when unreachable: %s', async (_name, base, reason) => {
    const url = await base();
    const source = createOfficialGoSource({
      cache: new DownloadCache('/nonexistent'),
      logger: silentLogger,
      indexUrl: `${url}${INDEX_PATH}`,
      downloadBase: `${url}/go`,
      timeoutMs: 5000,
    });
    const err = await failure(source.index('arm64'));
    expect(err).toBeInstanceOf(SourceUnavailableError);
    expect(err.exitCode).toBe(ExitCode.Unavailable);
    expect(err.message).toMatch(new RegExp(`^${url.replace(/\./g, '\\.')}/dl/\\?mode=json&include=all: \\S`));
    expect(err.message).toMatch(reason);
  });
});
