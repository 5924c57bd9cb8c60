import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { canonicalJson } from '../common/canonical-json';
import { BakeError, ExitCode } from '../common/errors';
import type { Logger } from '../common/log';
import { sha256Hex } from '../common/sha256';
import { lastErrorLine } from '../golang/debian/apt-command';
import { createPrivateApt } from '../golang/debian/apt-private';
import type { PrivateApt } from '../golang/debian/types';
import type { ImageKind, Target } from '../recipe/types';
import { parseSimulatedInstall, statusFromShow } from './apt-simulation';
import { imagePackages } from './image-packages';
import { findOsArchive, renderOsSourcesFile } from './os-archive-sources';
import type { BaseArchiveState, PinnedPackage, PlannedPackages } from './types';

/** What a bootstrapped base holds besides minbase (apt inside builds needs it for https mirrors). */
export const BASE_EXTRA_PACKAGES = ['ca-certificates'];

/**
 * mmdebstrap's minbase: Essential and Priority: required packages, and apt
 * (only the target's architecture is configured).
 */
const MINBASE_PATTERN = '?or(?essential,?priority(required))';

/** Bump when the resolution changes, so cached results of the old one are not reused. */
const RESOLVER_VERSION = 2;

export interface OsPackagesContext {
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

export interface ResolvedOsPackages {
  base?: BaseArchiveState;
  packages: PlannedPackages;
}

/** Lists are refreshed once per process and suite: every target of a run sees the same archive state. */
const apts = new Map<string, Promise<PrivateApt>>();

/**
 * Resolves a target's OS packages (and, for a bootstrapped base, the base's own) to exact
 * versions with apt itself, from the signed indexes of the target's suite, -updates and
 * -security. The result is cached by the InRelease files it was computed from, so an
 * unchanged archive costs one `apt-get update` per run and a file read per target.
 */
export async function resolveOsPackages(ctx: OsPackagesContext, target: Target): Promise<ResolvedOsPackages> {
  if (target.family === 'rhel') {
    return {
      packages: {
        pinned: false,
        manager: 'dnf',
        images: {},
        note: 'rhel-family repositories are not reachable from here: packages installed unpinned',
      },
    };
  }
  const suite = target.base.bootstrap?.suite;
  if (!suite) {
    return {
      packages: {
        pinned: false,
        manager: 'apt',
        images: {},
        note: 'no archive suite known for this recipe (bootstrap.suite): packages installed unpinned',
      },
    };
  }
  const apt = await privateApt(ctx, suite);
  await apt.ensureLists().catch((err: NodeJS.ErrnoException) => {
    // No apt on this machine: the packages cannot be resolved, and building unpinned would change the digest.
    if (err.code === 'ENOENT')
      throw new BakeError(
        `${target.name}: resolving its packages needs apt (apt-get, apt-cache) on this machine`,
        ExitCode.Unavailable,
      );
    throw err;
  });
  const wanted = imagePackages(target);
  const key = sha256Hex(
    canonicalJson({ v: RESOLVER_VERSION, state: await archiveState(apt.dir), arch: target.arch, wanted }),
  );
  const cacheFile = join(apt.dir, 'resolved', `${key}.json`);
  const cached = await fs
    .readFile(cacheFile, 'utf8')
    .then((t) => JSON.parse(t) as ResolvedOsPackages)
    .catch(() => undefined);
  if (cached) return cached;

  const arch = [
    `-o`,
    `APT::Architecture=${target.arch}`,
    '-o',
    `APT::Architectures=${target.arch}`,
    '-o',
    `Dir::Cache=${join(apt.dir, `cache-${target.arch}`)}`,
  ];
  await fs.mkdir(join(apt.dir, `cache-${target.arch}`, 'archives', 'partial'), { recursive: true });
  const simulate = async (what: string, status: string, names: string[]) => {
    const r = await apt.exec(
      'apt-get',
      ['--simulate', '--no-install-recommends', 'install', ...names],
      [...arch, '-o', `Dir::State::status=${status}`],
    );
    if (r.code !== 0)
      throw new BakeError(
        `${target.name}: cannot resolve ${what} from the ${suite} archive: ${lastErrorLine(r)}`,
        ExitCode.Unavailable,
      );
    return parseSimulatedInstall(r.stdout);
  };
  const empty = join(apt.dir, 'state', 'status');
  const baseList = await simulate('the base packages', empty, ['apt', ...BASE_EXTRA_PACKAGES, MINBASE_PATTERN]);
  const basePackages = Object.fromEntries(baseList.map((p) => [p.name, p.version]));
  const base: BaseArchiveState = {
    suite,
    arch: target.arch,
    digest: `sha256:${sha256Hex(canonicalJson(basePackages))}`,
    packages: basePackages,
  };

  // The base's packages as "installed", so each image pins only what it adds or upgrades.
  const show = await apt.exec('apt-cache', ['show', ...baseList.map((p) => `${p.name}=${p.version}`)], arch);
  const seeded = join(apt.dir, 'state', `status-${key.slice(0, 16)}`);
  await writeFileAtomic(seeded, statusFromShow(show.stdout));
  const images: Partial<Record<ImageKind, PinnedPackage[]>> = {};
  try {
    for (const kind of target.kinds) {
      const added = await simulate(`the ${kind} image's packages`, seeded, wanted[kind]);
      // What the recipe names but the base already has is pinned at the base's version.
      const present = wanted[kind]
        .filter((n) => !added.some((p) => p.name === n) && basePackages[n])
        .map((n) => baseList.find((p) => p.name === n)!);
      images[kind] = [...added, ...present].sort((a, b) => a.name.localeCompare(b.name));
    }
  } finally {
    await fs.rm(seeded, { force: true });
  }
  const resolved: ResolvedOsPackages = { base, packages: { pinned: true, manager: 'apt', images } };
  await writeFileAtomic(cacheFile, `${JSON.stringify(resolved)}\n`);
  ctx.logger.debug(
    `${target.name}: ${Object.values(images)
      .map((l) => l?.length ?? 0)
      .join('+')} packages pinned, base ${base.digest.slice(0, 19)}`,
  );
  return resolved;
}

/**
 * Refreshes the lists of every suite these targets use, once, before any target is planned:
 * each target's planning then only reads. A failure is left for the targets' own planning to report.
 */
export async function refreshOsArchives(ctx: OsPackagesContext, targets: Target[]): Promise<void> {
  const suites = [
    ...new Set(
      targets
        .filter((t) => t.family === 'debian')
        .map((t) => t.base.bootstrap?.suite)
        .filter((s): s is string => !!s),
    ),
  ];
  await Promise.all(
    suites.map((suite) =>
      privateApt(ctx, suite)
        .then((apt) => apt.ensureLists())
        .catch(() => undefined),
    ),
  );
}

/** The signed state apt resolved from: every InRelease in the lists directory, by sha256. */
async function archiveState(dir: string): Promise<Record<string, string>> {
  const lists = join(dir, 'lists');
  const names = (await fs.readdir(lists)).filter((n) => n.endsWith('InRelease')).sort();
  const out: Record<string, string> = {};
  for (const name of names) out[name] = sha256Hex(await fs.readFile(join(lists, name)));
  return out;
}

/** The private apt of one suite, shared by every target of this process (its lists refreshed once). */
export function privateApt(ctx: OsPackagesContext, suite: string): Promise<PrivateApt> {
  const dir = join(ctx.cacheDir, 'apt-os', suite);
  let found = apts.get(dir);
  if (!found) {
    found = findOsArchive(ctx.env).then((archive) =>
      createPrivateApt({
        dir,
        archiveUri: archive.archive,
        logger: ctx.logger,
        listMaxAgeHours: 0,
        sources: {
          file: 'bake-os.sources',
          text: renderOsSourcesFile(archive, suite),
          describe: `${suite} archive from ${archive.archive}${archive.security ? ` and ${archive.security}` : ''}`,
        },
      }),
    );
    found.catch(() => apts.delete(dir));
    apts.set(dir, found);
  }
  return found;
}
