import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import { sha256Hex } from '../../common/sha256';
import { ARCHES } from '../../recipe/vocabulary';
import type { CommandResult, CommandRunner } from '../../common/types';
import { lastErrorLine, runApt } from './apt-command';
import { GO_SUITES, renderGoSourcesFile } from './apt-go-suites';
import { withFileLock } from '../../common/file-lock';
import { SourceUnavailableError } from '../source-unavailable-error';
import type { PrivateApt } from './types';

/** Package lists younger than this are used as they are: Go backports change rarely. */
export const DEFAULT_LIST_MAX_AGE_HOURS = 6;

export interface PrivateAptOptions {
  /** `<cacheDir>/apt`: everything apt reads or writes for bake lives here. */
  dir: string;
  /** The Debian archive (from the machine's apt sources or BAKE_DEBIAN_MIRROR). */
  archiveUri: string;
  logger: Logger;
  run?: CommandRunner;
  now?: () => Date;
  listMaxAgeHours?: number;
  suites?: readonly string[];
  /** Another sources file instead of the Go suites (the OS archive of a target's suite). */
  sources?: { file: string; text: string; describe: string };
}

interface UpdateStamp {
  finishedAt: string;
  sourcesSha256: string;
}

/** apt's options that point every path at `dir` (exported for tests and for debugging by hand). */
export function privateAptOptions(dir: string): string[] {
  const o = (kv: string) => ['-o', kv];
  return [
    ...o('Dir::Etc::SourceList=/dev/null'),
    ...o(`Dir::Etc::SourceParts=${join(dir, 'sources')}`),
    // The machine's pinning must not change which version bake sees (versions are explicit anyway).
    ...o('Dir::Etc::Preferences=/dev/null'),
    ...o(`Dir::Etc::PreferencesParts=${join(dir, 'preferences')}`),
    ...o(`Dir::State::Lists=${join(dir, 'lists')}`),
    // An empty private status: nothing "installed", and the system's dpkg state is never read or locked.
    ...o(`Dir::State::status=${join(dir, 'state', 'status')}`),
    ...o(`Dir::State::extended_states=${join(dir, 'state', 'extended_states')}`),
    ...o(`Dir::Cache=${join(dir, 'cache')}`),
    // Keep apt's binary cache (some images disable it) so each apt-cache call takes ms, not seconds.
    ...o('Dir::Cache::pkgcache=pkgcache.bin'),
    ...o('Dir::Cache::srcpkgcache=srcpkgcache.bin'),
    ...o(`APT::Architectures=${ARCHES.join(',')}`),
    // Without this apt-get update exits 0 when the archive is unreachable.
    ...o('APT::Update::Error-Mode=any'),
    ...o('Acquire::Languages=none'),
    ...o('Acquire::Retries=1'),
    ...o('Acquire::http::Timeout=30'),
  ];
}

export function createPrivateApt(options: PrivateAptOptions): PrivateApt {
  const { dir, logger } = options;
  const run = options.run ?? runApt;
  const now = options.now ?? (() => new Date());
  const maxAgeMs = (options.listMaxAgeHours ?? DEFAULT_LIST_MAX_AGE_HOURS) * 3600 * 1000;
  const sourcesText = options.sources?.text ?? renderGoSourcesFile(options.archiveUri, options.suites ?? GO_SUITES);
  const sourcesFile = options.sources?.file ?? 'bake-go.sources';
  const describe =
    options.sources?.describe ?? `${(options.suites ?? GO_SUITES).join(', ')} from ${options.archiveUri}`;
  const sourcesSha256 = sha256Hex(sourcesText);
  const stampPath = join(dir, 'update-stamp.json');
  const aptOptions = privateAptOptions(dir);
  let lists: Promise<void> | undefined;

  const readStamp = async (): Promise<UpdateStamp | undefined> => {
    try {
      const stamp = JSON.parse(await fs.readFile(stampPath, 'utf8')) as UpdateStamp;
      return stamp.sourcesSha256 === sourcesSha256 ? stamp : undefined;
    } catch {
      return undefined;
    }
  };
  const isFresh = (stamp: UpdateStamp | undefined) =>
    stamp !== undefined && now().getTime() - Date.parse(stamp.finishedAt) < maxAgeMs;

  const update = async (): Promise<void> => {
    if (isFresh(await readStamp())) return;
    await Promise.all(
      ['sources', 'preferences', 'lists/partial', 'cache/archives/partial', 'state'].map((d) =>
        fs.mkdir(join(dir, d), { recursive: true }),
      ),
    );
    await writeFileAtomic(join(dir, 'sources', sourcesFile), sourcesText);
    await fs.writeFile(join(dir, 'state', 'status'), '', { flag: 'a' });
    await withFileLock(
      join(dir, 'apt.lock'),
      async () => {
        // Another process may have updated while we waited for the lock.
        const before = await readStamp();
        if (isFresh(before)) return;
        const started = Date.now();
        const result = await run('apt-get', [...aptOptions, 'update']);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (result.code !== 0) {
          const reason = lastErrorLine(result);
          if (before && !isUntrusted(result)) {
            logger.warn(
              `apt-get update of ${options.archiveUri} failed (${reason}); ` +
                `using the lists fetched ${before.finishedAt}`,
            );
            return;
          }
          throw aptFailure(result, `apt-get update of ${options.archiveUri}`);
        }
        logger.info(`apt-get update (${describe}): ${seconds} s`);
        await writeFileAtomic(
          stampPath,
          `${JSON.stringify({ finishedAt: now().toISOString(), sourcesSha256 } satisfies UpdateStamp)}\n`,
        );
      },
      { timeoutMs: 30 * 60_000, onWait: (pid) => logger.info(`waiting for process ${pid} using ${dir}`) },
    );
  };

  const aptCache = async (args: string[]): Promise<string> => {
    await ensureLists();
    const result = await run('apt-cache', [...aptOptions, ...args]);
    // apt-cache show exits 0 when some of several names are unknown; an error with no output is real.
    if (result.code !== 0 && result.stdout.trim() === '') {
      throw new SourceUnavailableError(`apt-cache ${args[0]}: ${lastErrorLine(result)}`);
    }
    return result.stdout;
  };

  const ensureLists = (): Promise<void> => {
    lists ??= update().catch((err) => {
      lists = undefined;
      throw err;
    });
    return lists;
  };

  return {
    dir,
    ensureLists,
    packageNames: async (prefix) =>
      (await aptCache(['pkgnames', prefix]))
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .sort(),
    show: (specs) => aptCache(['show', ...specs]),
    exec: async (command, args, extraOptions = []) => {
      await ensureLists();
      return run(command, [...aptOptions, ...extraOptions, ...args]);
    },
    download: async (specs, destDir) => {
      await ensureLists();
      const result = await run('apt-get', [...aptOptions, 'download', ...specs], { cwd: destDir });
      if (result.code !== 0) {
        throw aptFailure(result, `apt-get download ${specs.join(' ')}`);
      }
      for (const line of result.stderr.split('\n').filter((l) => l.trim() !== '')) logger.debug(`apt-get: ${line}`);
    },
  };
}

/** Signature or hash failures reported by apt: never a reason to fall back silently. */
const UNTRUSTED =
  /Hash Sum mismatch|File has unexpected size|NO_PUBKEY|BADSIG|EXPKEYSIG|signatures were invalid|is not signed|Clearsigned file isn't valid/i;

export function isUntrusted(result: CommandResult): boolean {
  return untrustedLine(result) !== undefined;
}

/** The line that says why apt distrusts the archive: apt's last error is often only "some index files failed". */
function untrustedLine(result: CommandResult): string | undefined {
  return `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim().replace(/^(E|W|Err):\s*/, ''))
    .find((l) => UNTRUSTED.test(l));
}

export function aptFailure(result: CommandResult, what: string): BakeError {
  const untrusted = untrustedLine(result);
  if (untrusted !== undefined)
    return new BakeError(`${what}: the archive's signed index failed verification (${untrusted})`, ExitCode.Untrusted);
  return new SourceUnavailableError(
    `${what}: ${lastErrorLine(result)}`,
    'set BAKE_DEBIAN_MIRROR, or use --go-source/--go-mirror',
  );
}
