import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { tempPathFor, writeFileAtomic } from '../../common/atomic-write';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { sha256File } from '../../common/sha256';
import { BASE_EXTRA_PACKAGES } from '../../plan/os-packages';
import type { Target } from '../../recipe/types';
import { bootstrapCacheKey, bootstrapImageTag, bootstrapPackages } from './base-cache-key';
import type { BootstrapSpec, BootstrappedBase } from './types';
import { ensureBinfmt } from '../host/binfmt';
import { DEBIAN_ARCHIVE_KEYRING } from '../../golang/debian/apt-go-suites';
import { bootstrapSourceLines, findDebianMirror } from './debian-mirror';
import { withFileLock } from '../../common/file-lock';
import { ensureTool, findCommand } from '../host/host-tool';
import { lastLines, OUTPUT_TAIL, runCommand } from '../../common/run-command';
import type { ImageEngine } from '../types';

export const ROOTFS_DIGEST_LABEL = 'io.bake.base.rootfs-digest';
export const BOOTSTRAP_KEY_LABEL = 'io.bake.base.bootstrap-key';

/**
 * Fixed file times make mmdebstrap's tarball reproducible: the same packages give the same
 * bytes on every machine, so the rootfs digest (the base's identity) only changes when the
 * archive's content does. The image made from it carries the same time in its config and
 * history, which every image built on it inherits. Any past date works; it only has to be the
 * same everywhere.
 */
const SOURCE_DATE_EPOCH = '1704067200';
const EPOCH_LABEL = 'io.bake.base.source-date-epoch';

export interface BootstrapOptions {
  cacheDir: string;
  logger: Logger;
  signal?: AbortSignal;
  allowInstall?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * The plan's archive state of the base (its packages' resolved versions): part of the key,
   * so a fix published for a base package makes a new base, and nothing else does.
   */
  archiveDigest?: string;
}

/**
 * What dpkg leaves out of a bootstrapped base, as Debian's own `-slim` images do: documentation,
 * man and info pages, translations. Copyright files stay (licenses travel with the software).
 * mmdebstrap writes these into the base's /etc/dpkg/dpkg.cfg.d, so packages installed later,
 * in image builds, leave them out too.
 */
export const SLIM_DPKG_OPTIONS = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/groff/*',
  'path-exclude=/usr/share/linda/*',
  'path-exclude=/usr/share/lintian/*',
  'path-exclude=/usr/share/locale/*',
];

/**
 * What a bootstrapped base holds besides minbase. It stands in for the registry base (which
 * has none of the recipe's packages): the toolchain stage installs those, so they never
 * reach the runtime image. ca-certificates lets apt inside builds use https mirrors.
 */
export const BOOTSTRAP_PACKAGES = BASE_EXTRA_PACKAGES;

/**
 * A base image built from the distribution's archive: mmdebstrap makes the root filesystem
 * (minbase plus BOOTSTRAP_PACKAGES) for the target's architecture, and a BuildKit build
 * of `FROM scratch` + `ADD rootfs.tar /` turns it into an image with the right platform.
 * Found again by its tag, which carries the cache key.
 */
export async function bootstrapBase(
  target: Target,
  engine: ImageEngine,
  options: BootstrapOptions,
): Promise<BootstrappedBase> {
  const bootstrap = target.base.bootstrap;
  if (!bootstrap || target.family !== 'debian') {
    throw new BakeError(`${target.name}: its recipe does not allow bootstrapping the base`, ExitCode.Unavailable);
  }
  await ensureTool({
    command: 'mmdebstrap',
    debianPackage: 'mmdebstrap',
    purpose: `bootstrapping the base of ${target.name}`,
    allowInstall: options.allowInstall !== false,
    logger: options.logger,
  });
  const spec: BootstrapSpec = {
    suite: bootstrap.suite,
    arch: target.arch,
    variant: bootstrap.variant,
    packages: BOOTSTRAP_PACKAGES,
    dpkgOptions: SLIM_DPKG_OPTIONS,
    toolVersion: await mmdebstrapVersion(),
    archiveDigest: options.archiveDigest,
    keyrings: await Promise.all(
      extraKeyrings(options.env ?? process.env).map(async (k) => (await sha256File(k)).sha256),
    ),
  };
  const key = bootstrapCacheKey(spec);
  const tag = bootstrapImageTag(spec, key);
  const found = await findBootstrapped(engine, tag, target);
  if (found) return found;

  const dir = join(options.cacheDir, 'bases');
  await fs.mkdir(dir, { recursive: true });
  return withFileLock(
    join(dir, `${key}.lock`),
    async () => {
      // Another bake may have made it while this one waited.
      const again = await findBootstrapped(engine, tag, target);
      if (again) return again;
      await ensureBinfmt(target.arch, options.logger, { allowInstall: options.allowInstall });
      const contextDir = join(dir, key);
      const digest = (await cachedRootfs(contextDir)) ?? (await makeRootfs(spec, contextDir, options));
      await engine.build({
        contextDir,
        platform: `linux/${target.arch}`,
        tags: [tag],
        labels: {
          [ROOTFS_DIGEST_LABEL]: digest,
          [BOOTSTRAP_KEY_LABEL]: key,
          'io.bake.base.suite': spec.suite,
          'io.bake.base.packages': bootstrapPackages(spec.packages).join(','),
          'io.bake.base.tool': spec.toolVersion,
          ...(spec.dpkgOptions?.length ? { 'io.bake.base.slim': 'true' } : {}),
          ...(spec.archiveDigest ? { 'io.bake.base.archive-digest': spec.archiveDigest } : {}),
          [EPOCH_LABEL]: SOURCE_DATE_EPOCH,
        },
        buildArgs: { SOURCE_DATE_EPOCH },
        signal: options.signal,
      });
      options.logger.info(`${target.name}: base ${tag} imported (rootfs ${digest.slice(0, 19)})`);
      return { imageRef: tag, digest };
    },
    {
      timeoutMs: 30 * 60_000,
      onWait: (pid) =>
        options.logger.info(`${target.name}: waiting for bake process ${pid}, which is bootstrapping the same base`),
    },
  );
}

/** The root filesystem tar is kept by its cache key: another engine (a second builder) imports it in seconds. */
const ROOTFS = 'rootfs.tar';
const ROOTFS_DIGEST = 'rootfs.sha256';

/** The digest of a complete, intact cached rootfs, or undefined. */
async function cachedRootfs(dir: string): Promise<string | undefined> {
  const recorded = (await fs.readFile(join(dir, ROOTFS_DIGEST), 'utf8').catch(() => '')).trim();
  if (!recorded) return undefined;
  const actual = await sha256File(join(dir, ROOTFS)).catch(() => undefined);
  return actual && `sha256:${actual.sha256}` === recorded ? recorded : undefined;
}

/** mmdebstrap into the cache directory; the digest file is written last, marking it complete. */
async function makeRootfs(spec: BootstrapSpec, dir: string, options: BootstrapOptions): Promise<string> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  await runMmdebstrap(spec, join(dir, ROOTFS), options);
  const digest = `sha256:${(await sha256File(join(dir, ROOTFS))).sha256}`;
  await fs.writeFile(join(dir, 'Dockerfile'), `FROM scratch\nADD ${ROOTFS} /\nCMD ["bash"]\n`);
  await writeFileAtomic(join(dir, ROOTFS_DIGEST), `${digest}\n`);
  return digest;
}

async function findBootstrapped(
  engine: ImageEngine,
  tag: string,
  target: Target,
): Promise<BootstrappedBase | undefined> {
  const image = await engine.inspectImage(tag);
  const digest = image?.labels[ROOTFS_DIGEST_LABEL];
  if (!image || !digest || image.architecture !== target.arch) return undefined;
  // A base imported before its times were fixed gives each engine other digests: import it again.
  if (image.labels[EPOCH_LABEL] !== SOURCE_DATE_EPOCH) return undefined;
  return { imageRef: tag, digest };
}

export async function mmdebstrapVersion(): Promise<string> {
  // What `--version` prints is the script's own declaration; reading it spares every run a
  // perl start (0.3 s). A build that declares it otherwise is asked.
  const script = findCommand('mmdebstrap');
  const text = script ? await fs.readFile(script, 'latin1').catch(() => '') : '';
  const declared = /^our \$VERSION = '([\w.+~-]+)';$/m.exec(text)?.[1];
  if (declared) return `mmdebstrap ${declared}`;
  const result = await runCommand('mmdebstrap', ['--version']);
  const version = result.stdout.trim().split('\n')[0];
  if (result.code !== 0 || !version)
    throw new BakeError(`mmdebstrap --version failed: ${result.stderr.trim()}`, ExitCode.Unavailable);
  return version;
}

/** Writes the tar beside its final name and renames it, so a killed run leaves no half tar behind. */
async function runMmdebstrap(spec: BootstrapSpec, out: string, options: BootstrapOptions): Promise<void> {
  const mirror = await findDebianMirror(options.env ?? process.env);
  const partial = `${tempPathFor(out)}.tar`;
  const args = [
    '--variant=minbase',
    `--architectures=${spec.arch}`,
    `--include=${bootstrapPackages(spec.packages).join(',')}`,
    ...(spec.dpkgOptions ?? []).map((option) => `--dpkgopt=${option}`),
    // An extra archive key (a site's or a test's archive) is trusted for the bootstrap and
    // copied into the base, so apt in image builds checks the same signatures.
    ...keyringArgs(extraKeyrings(options.env ?? process.env)),
    spec.suite,
    partial,
    ...bootstrapSourceLines(mirror, spec.suite),
  ];
  options.logger.info(
    `bootstrapping ${spec.suite} ${spec.arch} from the Debian archive with mmdebstrap (about 1 min, longer emulated)`,
  );
  try {
    const result = await runCommand('mmdebstrap', args, {
      env: { ...(options.env ?? process.env), SOURCE_DATE_EPOCH },
      signal: options.signal,
      keepTail: OUTPUT_TAIL,
    }).catch((err: Error) => {
      if (options.signal?.aborted)
        throw new BakeError(`bootstrapping ${spec.suite} ${spec.arch} interrupted`, ExitCode.Interrupted);
      throw err;
    });
    if (result.code !== 0) {
      const tail = lastLines(result.stderr, 8)
        .map((line) => `  ${line}`)
        .join('\n');
      throw new BakeError(
        `mmdebstrap for ${spec.suite} ${spec.arch} failed (exit ${result.code}):\n${tail}`,
        ExitCode.Unavailable,
      );
    }
    await fs.rename(partial, out);
  } finally {
    await fs.rm(partial, { force: true });
  }
}

/** BAKE_DEBIAN_KEYRING: keyrings (colon-separated, named *.gpg or *.asc) trusted besides Debian's. */
export function extraKeyrings(env: NodeJS.ProcessEnv): string[] {
  return (env.BAKE_DEBIAN_KEYRING ?? '')
    .split(':')
    .map((k) => k.trim())
    .filter(Boolean);
}

function keyringArgs(keyrings: string[]): string[] {
  if (keyrings.length === 0) return [];
  return [
    `--keyring=${DEBIAN_ARCHIVE_KEYRING}`,
    ...keyrings.map((k) => `--keyring=${k}`),
    `--customize-hook=copy-in ${keyrings.join(' ')} /etc/apt/trusted.gpg.d/`,
  ];
}
