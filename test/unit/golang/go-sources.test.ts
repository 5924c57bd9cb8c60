import { join } from 'node:path';
import { promises as fs } from 'node:fs';
import { BakeError, ExitCode } from '../../../bake/common/errors';
import { DownloadCache } from '../../../bake/golang/download-cache';
import { createGoSources, resolveGoDistribution } from '../../../bake/golang/go-sources';
import { createMirrorGoSource } from '../../../bake/golang/mirror/mirror-source';
import { createOfficialGoSource } from '../../../bake/golang/official/official-source';
import { SourceUnavailableError } from '../../../bake/golang/source-unavailable-error';
import type { GoSource } from '../../../bake/golang/types';
import { PolicyRefusedError } from '../../../bake/golang/version-policy';
import type { Target } from '../../../bake/recipe/types';
import {
  buildReleases,
  DEFAULT_RELEASES,
  listCache,
  makeTestKey,
  NOW,
  recordingLogger,
  signDetached,
  TEST_POLICY,
  tempDir,
  type TestKey,
  type TestMirror,
  writeMirror,
} from './go-fixtures';

const target = {
  name: 'debian12-arm64',
  arch: 'arm64',
  go: { versions: '1.22.x', sources: ['official', 'mirror', 'debian'] },
} as unknown as Target;
const UNREACHABLE = 'http://127.0.0.1:1';

let siteKey: TestKey;
let otherKey: TestKey;
let mirror: TestMirror;

beforeAll(async () => {
  [siteKey, otherKey] = await Promise.all([makeTestKey('Site Mirror'), makeTestKey('Other')]);
  mirror = await writeMirror(join(await tempDir('mirror'), 'm'), await buildReleases(DEFAULT_RELEASES), siteKey);
});

function unreachableOfficial(cache: DownloadCache, logger = recordingLogger()): GoSource {
  return createOfficialGoSource({
    cache,
    logger,
    indexUrl: `${UNREACHABLE}/dl/?mode=json&include=all`,
    downloadBase: `${UNREACHABLE}/go/`,
  });
}

/** A source that must never be asked (the run should have stopped before it). */
function untouchable(kind: GoSource['kind']): GoSource & { asked: number } {
  const source = {
    kind,
    location: `${kind}-fake`,
    asked: 0,
    async index() {
      source.asked++;
      throw new Error('must not be asked');
    },
    async fetch() {
      source.asked++;
      throw new Error('must not be asked');
    },
  };
  return source;
}

function unavailable(kind: GoSource['kind'], reason: string): GoSource {
  return {
    kind,
    location: `${kind}-fake`,
    index: async () => {
      throw new SourceUnavailableError(reason);
    },
    fetch: async () => {
      throw new SourceUnavailableError(reason);
    },
  };
}

describe('resolveGoDistribution', () => {
  it('falls back from unreachable official downloads to the mirror, saying so in one line', async () => {
    const cache = new DownloadCache(await tempDir('cache'));
    const logger = recordingLogger();
    const sources = [
      unreachableOfficial(cache),
      createMirrorGoSource({ location: mirror.dir, cache, trustedKeys: [siteKey.trusted], logger }),
    ];
    const { dist, verdict } = await resolveGoDistribution({ target, policy: TEST_POLICY, now: NOW, sources, logger });
    expect(dist).toMatchObject({ version: '1.22.12', source: 'mirror', filename: 'go1.22.12.linux-arm64.tar.gz' });
    expect(verdict.status).toBe('supported');
    const fallbacks = logger.lines.filter((l) => l.includes('unreachable'));
    expect(fallbacks).toEqual([
      `warn: official downloads unreachable (${UNREACHABLE}/dl/?mode=json&include=all: bad port); trying mirror`,
    ]);
  });

  it('stops on a trust failure instead of falling back', async () => {
    const dir = join(await tempDir('mirror'), 'm');
    const bad = await writeMirror(dir, await buildReleases([{ version: 'go1.22.12' }]), siteKey);
    await fs.writeFile(join(bad.dir, 'SHA256SUMS.asc'), await signDetached(bad.sums, otherKey));
    const cacheDir = await tempDir('cache');
    const cache = new DownloadCache(cacheDir);
    const logger = recordingLogger();
    const debian = untouchable('debian');
    const sources = [
      createMirrorGoSource({ location: bad.dir, cache, trustedKeys: [siteKey.trusted], logger }),
      debian,
    ];
    const err = await resolveGoDistribution({ target, policy: TEST_POLICY, now: NOW, sources, logger }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Untrusted);
    expect((err as Error).message).toContain(`${join(bad.dir, 'SHA256SUMS')}: signed by key`);
    expect(debian.asked).toBe(0);
    expect(await listCache(cacheDir)).toEqual([]);
  });

  it('stops on a policy refusal instead of falling back', async () => {
    const cache = new DownloadCache(await tempDir('cache'));
    const debian = untouchable('debian');
    const old = { ...target, go: { ...target.go, versions: '1.21.x' } };
    const releases = await buildReleases([{ version: 'go1.21.13' }]);
    const m = await writeMirror(join(await tempDir('mirror'), 'm'), releases, siteKey);
    const sources = [
      createMirrorGoSource({ location: m.dir, cache, trustedKeys: [siteKey.trusted], logger: recordingLogger() }),
      debian,
    ];
    await expect(
      resolveGoDistribution({ target: old, policy: TEST_POLICY, now: NOW, sources, logger: recordingLogger() }),
    ).rejects.toThrow(PolicyRefusedError);
    expect(debian.asked).toBe(0);
  });

  it('names the flags that help when no source is left', async () => {
    const cache = new DownloadCache(await tempDir('cache'));
    const logger = recordingLogger();
    const sources = [unreachableOfficial(cache), unavailable('debian', 'no Debian archive found')];
    const err = await resolveGoDistribution({ target, policy: TEST_POLICY, now: NOW, sources, logger }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BakeError);
    expect(err).not.toBeInstanceOf(SourceUnavailableError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Unavailable);
    const message = (err as Error).message;
    expect(message).toMatch(
      /^no Go source left for debian12-arm64: official downloads unreachable \(.*bad port\); Debian's Go packages \(debian-fake\) unreachable \(no Debian archive found\); /,
    );
    expect(message).toContain('--go-mirror DIR|URL');
    expect(message).toContain('--go-source debian');
    expect(message.split('\n')).toHaveLength(1);
    expect(logger.lines).toEqual([
      `warn: official downloads unreachable (${UNREACHABLE}/dl/?mode=json&include=all: bad port); trying debian`,
    ]);
  });

  it('names the flags when no source is configured at all', async () => {
    await expect(
      resolveGoDistribution({ target, policy: TEST_POLICY, now: NOW, sources: [], logger: recordingLogger() }),
    ).rejects.toThrow(
      /^no Go source left for debian12-arm64 \(no Go source configured\); use --go-mirror DIR\|URL .* or --go-source debian/,
    );
  });

  it('with fetch: false only resolves: nothing enters the cache', async () => {
    const cacheDir = await tempDir('cache');
    const cache = new DownloadCache(cacheDir);
    const logger = recordingLogger();
    const sources = [createMirrorGoSource({ location: mirror.dir, cache, trustedKeys: [siteKey.trusted], logger })];
    const { dist } = await resolveGoDistribution({
      target,
      policy: TEST_POLICY,
      now: NOW,
      sources,
      logger,
      fetch: false,
    });
    expect(dist).toEqual({
      version: '1.22.12',
      arch: 'arm64',
      source: 'mirror',
      filename: 'go1.22.12.linux-arm64.tar.gz',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: mirror.archives.get('go1.22.12.linux-arm64.tar.gz')!.length,
      origin: `${mirror.dir}/go1.22.12.linux-arm64.tar.gz`,
      verifiedBy: [],
    });
    expect(await listCache(cacheDir)).toEqual([]);
  });
});

describe('createGoSources', () => {
  it('builds the sources in the given order, once each, the Debian one from its factory', async () => {
    const cacheDir = await tempDir('cache');
    const cache = new DownloadCache(cacheDir);
    const seen: { cacheDir: string }[] = [];
    const sources = createGoSources({
      kinds: ['debian', 'mirror', 'official', 'debian'],
      mirror: mirror.dir,
      cache,
      trustedKeys: [siteKey.trusted],
      logger: recordingLogger(),
      debian: (options) => {
        seen.push(options);
        return untouchable('debian');
      },
    });
    expect(sources.map((s) => [s.kind, s.location])).toEqual([
      ['debian', 'debian-fake'],
      ['mirror', mirror.dir],
      ['official', 'https://dl.google.com/go/'],
    ]);
    expect(seen.map((o) => o.cacheDir)).toEqual([cacheDir]);
  });

  it('skips a mirror kind without a location, with a one-line note', () => {
    const logger = recordingLogger();
    const sources = createGoSources({
      kinds: ['mirror', 'official'],
      cache: new DownloadCache('/nonexistent'),
      trustedKeys: [],
      logger,
    });
    expect(sources.map((s) => s.kind)).toEqual(['official']);
    expect(logger.lines).toEqual([
      'info: Go source "mirror" skipped: ' +
        "no mirror location (--go-mirror DIR|URL, BAKE_GO_MIRROR or the recipe's go.mirror)",
    ]);
  });
});
