import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Arch } from '../../recipe/types';
import type { CommandRunner } from '../../common/types';
import { lastErrorLine, runApt } from './apt-command';
import { findDebianArchiveUri } from './apt-sources';
import { DEBIAN_ARCHIVE_KEYRING, GO_SUITES } from './apt-go-suites';
import { parsePackagesIndex } from './apt-packages-index';
import type { DebianPackage, PrivateApt, DebianGoBuild, DebianGoRecord } from './types';
import { createPrivateApt } from './apt-private';
import { debianBuildRelease, selectDebianGoBuilds } from './debian-go-builds';
import { debianGoRecordPath, listDebianGoRecords, readDebianGoRecord, writeDebianGoRecord } from './debian-go-record';
import { compareDebianVersions } from '../../common/debian-version';
import type { DownloadCache } from '../download-cache';
import { goVersionToSemver, parseGoVersion } from '../go-version';
import { linuxArchiveName } from '../official/release-index';
import { repackDebianGo } from './repack-debian-go';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { CachedGoDistribution, GoRelease, GoReleaseFile, GoReleaseIndex, GoSource } from '../types';

export interface DebianGoSourceOptions {
  cache: DownloadCache;
  /** apt's private state goes in `<cacheDir>/apt`, repack records in `<cacheDir>/debian-go`. */
  cacheDir: string;
  logger: Logger;
  /** Runs apt-get, apt-cache and dpkg (tests replace it). */
  runApt?: CommandRunner;
  /** BAKE_DEBIAN_MIRROR is read from here. */
  env?: NodeJS.ProcessEnv;
  /** The machine's apt configuration directory, where the archive URI is found. */
  etcApt?: string;
  now?: () => Date;
}

/**
 * Debian's own Go toolchains (golang-1.NN-go + golang-1.NN-src) as a Go source: apt, with a
 * private configuration, checks the archive's signature chain (InRelease signed by the
 * Debian archive keyring → Packages hashes → .deb hashes); bake re-checks each .deb's sha256
 * and repacks the two packages into the official tarball layout, deterministically.
 */
export function createDebianGoSource(options: DebianGoSourceOptions): GoSource {
  const { cache, cacheDir, logger } = options;
  const run = options.runApt ?? runApt;
  let apt: Promise<PrivateApt> | undefined;
  const builds = new Map<Arch, Promise<DebianGoBuild[]>>();

  const privateApt = (): Promise<PrivateApt> => {
    apt ??= findDebianArchiveUri({ env: options.env ?? process.env, etcApt: options.etcApt }).then((archiveUri) =>
      createPrivateApt({ dir: join(cacheDir, 'apt'), archiveUri, logger, run, now: options.now }),
    );
    return apt;
  };

  const buildsFor = (arch: Arch): Promise<DebianGoBuild[]> => {
    let found = builds.get(arch);
    if (!found) {
      found = listBuilds(arch);
      builds.set(arch, found);
      found.catch(() => builds.delete(arch));
    }
    return found;
  };

  const listBuilds = async (arch: Arch): Promise<DebianGoBuild[]> => {
    const a = await privateApt();
    const names = (await a.packageNames('golang-1.')).filter((n) => /^golang-\d+\.\d+-(go|src)$/.test(n));
    if (names.length === 0) return [];
    const specs = names.map((n) => (n.endsWith('-go') ? `${n}:${arch}` : n));
    return selectDebianGoBuilds(parsePackagesIndex(await a.show(specs)), arch);
  };

  const index = async (arch: Arch): Promise<GoReleaseIndex> => {
    try {
      const found = await buildsFor(arch);
      return Promise.all(
        found.map(async (b) =>
          debianBuildRelease(
            b,
            await readDebianGoRecord(debianGoRecordPath(cacheDir, b.go.package, b.go.version, arch)),
          ),
        ),
      );
    } catch (err) {
      if (!(err instanceof SourceUnavailableError)) throw err;
      const offline = await indexFromRecords(cacheDir, arch);
      if (offline.length === 0) throw err;
      logger.warn(`${err.message}; using the ${offline.length} Go release(s) repacked earlier from Debian packages`);
      return offline;
    }
  };

  // Two targets of one run may want the same archive at once (a target and another's builder):
  // it is repacked once, and both get it.
  const fetching = new Map<string, Promise<CachedGoDistribution>>();
  const fetchOnce = (file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution> => {
    const key = `${arch}\0${file.filename}\0${file.version}`;
    let found = fetching.get(key);
    if (!found) {
      found = fetch(file, arch);
      fetching.set(key, found);
      // Settled, it is forgotten: a later fetch checks the cache again (and a failure is retried).
      void found.then(
        () => fetching.delete(key),
        () => fetching.delete(key),
      );
    }
    return found;
  };

  const fetch = async (file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution> => {
    const goVersion = parseGoVersion(file.version) ? file.version.replace(/^go/, '') : undefined;
    if (!goVersion || file.filename !== linuxArchiveName(file.version, arch)) {
      throw new BakeError(`Debian's Go packages offer no ${file.filename} for ${arch}`, ExitCode.Unavailable);
    }
    const loaded = builds.get(arch);
    // After index() in this run, use exactly the build it listed; otherwise (a later run, or
    // offline) reuse an earlier repack of this file without asking apt at all.
    const build = loaded ? (await loaded.catch(() => undefined))?.find((b) => b.goVersion === goVersion) : undefined;
    const record = build
      ? await readDebianGoRecord(debianGoRecordPath(cacheDir, build.go.package, build.go.version, arch))
      : await newestRecordFor(cacheDir, file.filename);
    if (record) {
      const path = await cache.get(record.sha256);
      if (path) return distribution(record, goVersion, arch, path, file);
      logger.info(`${file.filename}: repack recorded but missing from the cache; repacking again`);
    }
    const target = build ?? (await buildsFor(arch)).find((b) => b.goVersion === goVersion);
    if (!target) throw new BakeError(`Debian's Go packages offer no Go ${goVersion} for ${arch}`, ExitCode.Unavailable);
    const made = await repackBuild(target, { cache, cacheDir, logger, run, apt: privateApt });
    return distribution(made.record, goVersion, arch, made.path, file);
  };

  return {
    kind: 'debian',
    // Read as "Debian's Go packages (bookworm-backports, trixie)" in messages.
    location: GO_SUITES.join(', '),
    index,
    fetch: fetchOnce,
  };
}

interface RepackContext {
  cache: DownloadCache;
  cacheDir: string;
  logger: Logger;
  run: CommandRunner;
  apt: () => Promise<PrivateApt>;
}

/** Downloads (or reuses) the two .debs, checks them, extracts and repacks; records the result. */
async function repackBuild(
  build: DebianGoBuild,
  ctx: RepackContext,
): Promise<{ record: DebianGoRecord; path: string }> {
  const { cache, logger } = ctx;
  const filename = linuxArchiveName(`go${build.goVersion}`, build.arch);
  const work = join(ctx.cacheDir, 'debian-go');
  await fs.mkdir(work, { recursive: true });
  const tmp = await fs.mkdtemp(join(work, `.repack-${filename}-`));
  try {
    const debs = await cachedDebs([build.go, build.src], build.arch, join(tmp, 'debs'), ctx);
    const root = join(tmp, 'root');
    await fs.mkdir(root);
    for (const deb of debs) {
      const result = await ctx.run('dpkg', ['-x', deb.path, root]);
      if (result.code !== 0)
        throw new BakeError(`dpkg -x ${deb.pkg.package}: ${lastErrorLine(result)}`, ExitCode.Failure);
    }
    const line = /^\d+\.\d+/.exec(build.goVersion)?.[0] ?? '';
    const goRoot = join(root, 'usr', 'lib', `go-${line}`);
    const version = (await fs.readFile(join(goRoot, 'VERSION'), 'utf8').catch(() => '')).split('\n')[0].trim();
    if (version !== `go${build.goVersion}`) {
      throw new BakeError(
        `${build.go.package} ${build.go.version}: VERSION says "${version}", expected go${build.goVersion}`,
        ExitCode.Untrusted,
      );
    }
    const started = Date.now();
    const output = join(tmp, filename);
    const repacked = await repackDebianGo({ goRoot, within: root, output });
    const megabytes = (repacked.size / 1e6).toFixed(1);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logger.info(`repacked ${filename} (${repacked.entries} entries, ${megabytes} MB): ${seconds} s`);
    const path = await cache.putFile(output, { sha256: repacked.sha256, size: repacked.size, name: filename });
    const record: DebianGoRecord = {
      filename,
      sha256: repacked.sha256,
      size: repacked.size,
      debs: debs.map((d) => ({ package: d.pkg.package, version: d.pkg.version, sha256: d.pkg.sha256 })),
    };
    await writeDebianGoRecord(debianGoRecordPath(ctx.cacheDir, build.go.package, build.go.version, build.arch), record);
    return { record, path };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * The .debs in the content-addressed cache, downloading the missing ones with apt (which
 * checks them against the signed Packages index). Each is re-hashed against the sha256 the
 * index gave before it is stored, so nothing unverified reaches dpkg.
 */
async function cachedDebs(
  pkgs: DebianPackage[],
  arch: Arch,
  dir: string,
  ctx: RepackContext,
): Promise<{ pkg: DebianPackage; path: string }[]> {
  const found = await Promise.all(pkgs.map(async (pkg) => ({ pkg, path: await ctx.cache.get(pkg.sha256) })));
  const missing = found.filter((f) => f.path === undefined).map((f) => f.pkg);
  if (missing.length > 0) {
    await fs.mkdir(dir, { recursive: true });
    const specs = missing.map((p) => `${p.package}${p.architecture === 'all' ? '' : `:${arch}`}=${p.version}`);
    const started = Date.now();
    await (await ctx.apt()).download(specs, dir);
    const mb = missing.reduce((n, p) => n + p.size, 0) / 1e6;
    ctx.logger.info(
      `apt-get download ${specs.join(' ')} (${mb.toFixed(1)} MB): ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const files = await fs.readdir(dir);
    for (const pkg of missing) {
      const name = files.find((f) => f.startsWith(`${pkg.package}_`) && f.endsWith(`_${pkg.architecture}.deb`));
      if (!name) throw new SourceUnavailableError(`apt-get download did not produce ${pkg.package} ${pkg.version}`);
      await ctx.cache.putFile(join(dir, name), { sha256: pkg.sha256, size: pkg.size, name });
    }
  }
  return Promise.all(
    pkgs.map(async (pkg) => {
      const path = await ctx.cache.get(pkg.sha256);
      if (!path)
        throw new BakeError(`${pkg.package} ${pkg.version}: vanished from the download cache`, ExitCode.Failure);
      return { pkg, path };
    }),
  );
}

function distribution(
  record: DebianGoRecord,
  goVersion: string,
  arch: Arch,
  path: string,
  file: GoReleaseFile,
): CachedGoDistribution {
  // An index entry that already named a sha256 (from an earlier record) must still hold.
  if (file.sha256 !== '' && file.sha256 !== record.sha256) {
    throw new BakeError(
      `${file.filename}: repack from Debian packages has sha256 ${record.sha256}, expected ${file.sha256}`,
      ExitCode.Untrusted,
    );
  }
  return {
    version: goVersion,
    arch,
    source: 'debian',
    filename: record.filename,
    sha256: record.sha256,
    size: record.size,
    origin: `debian:${record.debs.map((d) => `${d.package}=${d.version}`).join(',')}`,
    verifiedBy: [
      `Debian archive InRelease signature checked by apt against ${DEBIAN_ARCHIVE_KEYRING}`,
      ...record.debs.map((d) => `${d.package} ${d.version}: sha256 ${d.sha256} as in the signed Packages index`),
      `repacked by bake into ${record.filename}: sha256 ${record.sha256}`,
    ],
    path,
  };
}

/** The newest record (by the Debian version of its Go package) for an archive name. */
async function newestRecordFor(cacheDir: string, filename: string): Promise<DebianGoRecord | undefined> {
  const matching = (await listDebianGoRecords(cacheDir)).filter((r) => r.filename === filename);
  return matching.sort((a, b) => compareDebianVersions(goDebVersion(b), goDebVersion(a)))[0];
}

function goDebVersion(record: DebianGoRecord): string {
  return record.debs.find((d) => d.package.endsWith('-go'))?.version ?? '0';
}

/** An index of what was repacked before, for when apt cannot list the archive. */
async function indexFromRecords(cacheDir: string, arch: Arch): Promise<GoReleaseIndex> {
  const releases = new Map<string, GoRelease>();
  for (const record of await listDebianGoRecords(cacheDir)) {
    const m = /^(go[^/]+)\.linux-([a-z0-9]+)\.tar\.gz$/.exec(record.filename);
    if (!m || m[2] !== arch || !parseGoVersion(m[1]) || releases.has(m[1])) continue;
    const newest = await newestRecordFor(cacheDir, record.filename);
    if (!newest) continue;
    const version = m[1];
    const stable = !parseGoVersion(version)?.prerelease;
    releases.set(version, {
      version,
      stable,
      files: [
        {
          filename: record.filename,
          os: 'linux',
          arch,
          version,
          sha256: newest.sha256,
          size: newest.size,
          kind: 'archive',
        },
      ],
    });
  }
  return [...releases.values()].sort((a, b) =>
    semver.rcompare(goVersionToSemver(a.version), goVersionToSemver(b.version)),
  );
}
