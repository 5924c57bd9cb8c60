// A real offline Go mirror for tests: Debian's go1.26 and go1.27 toolchains for amd64 and
// arm64, made by the product's own `bake go mirror --from debian` code path and signed with a
// key generated for the fixture. Built once per checkout under .test-cache/ and reused while
// its signature and checksums still hold.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { testBakeCacheDir, testCacheDir } from './test-dirs';
import * as openpgp from 'openpgp';
import { createLogger, type Logger } from '../../bake/common/log';
import { sha256File } from '../../bake/common/sha256';
import type { Arch } from '../../bake/recipe/types';
import { withFileLock } from '../../bake/common/file-lock';
import { createDebianGoSource } from '../../bake/golang/debian/debian-source';
import { DownloadCache } from '../../bake/golang/download-cache';
import { writeGoMirror } from '../../bake/golang/mirror/go-mirror-writer';
import { MIRROR_INDEX, MIRROR_SUMS, MIRROR_SUMS_SIGNATURE } from '../../bake/golang/mirror/mirror-source';
import { verifyDetachedSignature } from '../../bake/golang/trust/openpgp-verify';
import { readTrustedKeys } from '../../bake/golang/trust/trusted-keys';
import { parseSha256Sums } from '../../bake/golang/mirror/sha256sums';

/** What `bake go mirror DIR --from debian --versions 1.26.x,1.27.x --arch amd64,arm64` is given. */
export const FIXTURE_RANGES = ['1.26.x', '1.27.x'];
export const FIXTURE_ARCHES: Arch[] = ['amd64', 'arm64'];
/** What those ranges resolve to in Debian's archive (trixie-backports) today. */
export const FIXTURE_VERSIONS = ['1.26.11', '1.27.4'];
/** Bump when the fixture's layout changes, so old caches are rebuilt rather than misread. */
const FIXTURE_FORMAT = 2;

export interface GoMirrorFixture {
  /** The signed mirror: index.json, the four archives, SHA256SUMS, SHA256SUMS.asc. */
  dir: string;
  /** ASCII-armored public key that signed SHA256SUMS (what tests pass as --trust-key). */
  trustKeyFile: string;
  /** Another key's public half, trusted by nobody's mirror: for negative tests. */
  foreignKeyFile: string;
  /** The foreign key's private half, to sign a mirror with the wrong key. */
  foreignPrivateKeyFile: string;
  /** The download cache the fixture was built with (Debian .debs and repacked archives). */
  cacheDir: string;
  /** false when an existing fixture was verified and reused. */
  built: boolean;
  seconds: number;
}

/**
 * The fixture mirror, built if missing or no longer intact. Safe when several Jest workers
 * call it at once: one builds (into a temp directory, renamed into place) under a lock, the
 * others wait and then verify and reuse its result.
 */
export async function ensureGoMirrorFixture(options: { logger?: Logger } = {}): Promise<GoMirrorFixture> {
  const logger = options.logger ?? createLogger();
  const started = Date.now();
  const root = join(testCacheDir(), 'go-mirror');
  const cacheDir = testBakeCacheDir();
  await fs.mkdir(root, { recursive: true });
  const current = join(root, 'current');
  const built = await withFileLock(
    join(root, 'build.lock'),
    async () => {
      const problem = await fixtureProblem(current);
      if (!problem) return false;
      logger.info(`Go mirror fixture: building (${problem})`);
      await buildFixture(root, current, cacheDir, logger);
      const after = await fixtureProblem(current);
      if (after) throw new Error(`Go mirror fixture just built is not valid: ${after}`);
      return true;
    },
    {
      timeoutMs: 30 * 60_000,
      onWait: (pid) => logger.info(`Go mirror fixture: waiting for process ${pid} building it`),
    },
  );
  const seconds = (Date.now() - started) / 1000;
  logger.info(`Go mirror fixture ${built ? 'built' : 'reused'} in ${seconds.toFixed(1)} s: ${join(current, 'mirror')}`);
  return {
    dir: join(current, 'mirror'),
    trustKeyFile: join(current, 'keys', 'fixture-public.asc'),
    foreignKeyFile: join(current, 'keys', 'foreign-public.asc'),
    foreignPrivateKeyFile: join(current, 'keys', 'foreign-private.asc'),
    cacheDir,
    built,
    seconds,
  };
}

/** Why the fixture at `dir` cannot be reused, or undefined when it is intact. */
async function fixtureProblem(dir: string): Promise<string | undefined> {
  const spec = await fs.readFile(join(dir, 'fixture.json'), 'utf8').catch(() => undefined);
  if (spec === undefined) return 'not built yet';
  if (spec !== fixtureSpec()) return 'built for other versions or by an older layout';
  const mirror = join(dir, 'mirror');
  try {
    const sums = await fs.readFile(join(mirror, MIRROR_SUMS));
    const keys = await readTrustedKeys(
      await fs.readFile(join(dir, 'keys', 'fixture-public.asc'), 'utf8'),
      'fixture key',
    );
    await verifyDetachedSignature({
      data: sums,
      armoredSignature: await fs.readFile(join(mirror, MIRROR_SUMS_SIGNATURE), 'utf8'),
      keys,
      what: join(mirror, MIRROR_SUMS),
    });
    const listed = parseSha256Sums(sums.toString('utf8'), join(mirror, MIRROR_SUMS));
    const expected = [
      MIRROR_INDEX,
      ...FIXTURE_VERSIONS.flatMap((v) => FIXTURE_ARCHES.map((a) => `go${v}.linux-${a}.tar.gz`)),
    ].sort();
    if ([...listed.keys()].sort().join(' ') !== expected.join(' '))
      return `${MIRROR_SUMS} lists ${[...listed.keys()].join(', ')}`;
    for (const [name, sha256] of listed) {
      const actual = await sha256File(join(mirror, name)).catch(() => undefined);
      if (actual?.sha256 !== sha256) return `${name} does not match ${MIRROR_SUMS}`;
    }
    for (const name of ['foreign-public.asc', 'foreign-private.asc']) await fs.access(join(dir, 'keys', name));
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

async function buildFixture(root: string, current: string, cacheDir: string, logger: Logger): Promise<void> {
  const tmp = join(root, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const mirror = join(tmp, 'mirror');
    const keys = join(tmp, 'keys');
    await fs.mkdir(keys, { recursive: true });
    // The product's path: `bake go mirror DIR --from debian --versions 1.26.x,1.27.x --arch amd64,arm64`.
    const source = createDebianGoSource({ cache: new DownloadCache(cacheDir), cacheDir, logger });
    const result = await writeGoMirror({
      dir: mirror,
      versions: FIXTURE_RANGES,
      arches: FIXTURE_ARCHES,
      sources: [source],
      logger,
    });
    const got = [...new Set(result.distributions.map((d) => d.version))].sort();
    if (got.join(' ') !== FIXTURE_VERSIONS.join(' ')) {
      throw new Error(
        `Debian's archive now resolves ${FIXTURE_RANGES.join(', ')} to ${got.join(', ')}, ` +
          `expected ${FIXTURE_VERSIONS.join(', ')}; update FIXTURE_VERSIONS and the tests`,
      );
    }
    const signer = await generateKey('bake test mirror');
    const foreign = await generateKey('bake foreign test key');
    await fs.writeFile(join(keys, 'fixture-public.asc'), signer.publicKey);
    await fs.writeFile(join(keys, 'fixture-private.asc'), signer.privateKey, { mode: 0o600 });
    await fs.writeFile(join(keys, 'foreign-public.asc'), foreign.publicKey);
    await fs.writeFile(join(keys, 'foreign-private.asc'), foreign.privateKey, { mode: 0o600 });
    // What the site does after `bake go mirror`: a detached, armored signature of SHA256SUMS.
    const sums = await fs.readFile(join(mirror, MIRROR_SUMS));
    await fs.writeFile(join(mirror, MIRROR_SUMS_SIGNATURE), await signDetached(sums, signer.privateKey));
    await fs.writeFile(join(tmp, 'fixture.json'), fixtureSpec());
    await fs.rm(current, { recursive: true, force: true });
    await fs.rename(tmp, current);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function fixtureSpec(): string {
  const spec = { format: FIXTURE_FORMAT, ranges: FIXTURE_RANGES, arches: FIXTURE_ARCHES, versions: FIXTURE_VERSIONS };
  return `${JSON.stringify(spec)}\n`;
}

/** An Ed25519 (legacy encoding) key, so GnuPG 2.2 can also read it when debugging by hand. */
async function generateKey(name: string): Promise<{ publicKey: string; privateKey: string }> {
  const { publicKey, privateKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name, email: `${name.replace(/\W+/g, '-')}@example.test` }],
    format: 'armored',
  });
  return { publicKey, privateKey };
}

/** A detached ASCII-armored signature, as `gpg --armor --detach-sign` makes. */
export async function signDetached(data: Uint8Array, armoredPrivateKey: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  const message = await openpgp.createMessage({ binary: data });
  return (await openpgp.sign({ message, signingKeys, detached: true, format: 'armored' })) as string;
}
