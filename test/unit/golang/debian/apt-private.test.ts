import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../../../bake/common/errors';
import type { Logger } from '../../../../bake/common/log';
import type { CommandResult, CommandRunner } from '../../../../bake/common/types';
import { createPrivateApt, privateAptOptions } from '../../../../bake/golang/debian/apt-private';
import { SourceUnavailableError } from '../../../../bake/golang/source-unavailable-error';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'bake-apt-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

interface Call {
  command: string;
  args: string[];
  cwd?: string;
}

function fakeApt(answer: (call: Call) => Partial<CommandResult>): { run: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: CommandRunner = async (command, args, options) => {
    const call = { command, args, cwd: options?.cwd };
    calls.push(call);
    return { code: 0, stdout: '', stderr: '', ...answer(call) };
  };
  return { run, calls };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), debug: () => {} };
}

const subcommand = (c: Call) => c.args.find((a, i) => !a.startsWith('-') && c.args[i - 1] !== '-o');

test("every apt path points into the private directory, never the system's state", () => {
  const options = privateAptOptions('/cache/apt');
  const values = options.filter((_, i) => options[i - 1] === '-o');
  expect(values).toEqual(
    expect.arrayContaining([
      'Dir::Etc::SourceList=/dev/null',
      'Dir::Etc::SourceParts=/cache/apt/sources',
      'Dir::State::Lists=/cache/apt/lists',
      'Dir::State::status=/cache/apt/state/status',
      'Dir::Cache=/cache/apt/cache',
      'APT::Architectures=amd64,arm64',
      'APT::Update::Error-Mode=any',
    ]),
  );
  expect(options.length).toBe(values.length * 2);
  expect(values.some((v) => /NoLocking/.test(v))).toBe(false);
});

test('apt-get update runs once per instance, writes the private sources file and a stamp', async () => {
  const { run, calls } = fakeApt((c) =>
    subcommand(c) === 'pkgnames' ? { stdout: 'golang-1.22-go\ngolang-1.22-src\n' } : {},
  );
  const logger = recordingLogger();
  const apt = createPrivateApt({
    dir,
    archiveUri: 'http://mirror.example.org/debian',
    logger,
    run,
    now: () => new Date('2025-06-01T00:00:00Z'),
  });
  expect(await apt.packageNames('golang-1.')).toEqual(['golang-1.22-go', 'golang-1.22-src']);
  await apt.show(['golang-1.22-go:arm64']);
  await apt.ensureLists();
  expect(calls.map(subcommand)).toEqual(['update', 'pkgnames', 'show']);
  expect(await fs.readFile(join(dir, 'sources', 'bake-go.sources'), 'utf8')).toContain(
    'URIs: http://mirror.example.org/debian\n',
  );
  expect(JSON.parse(await fs.readFile(join(dir, 'update-stamp.json'), 'utf8'))).toMatchObject({
    finishedAt: '2025-06-01T00:00:00.000Z',
  });
  expect(logger.lines.some((l) => /^info apt-get update .*: \d+\.\d s$/.test(l))).toBe(true);
});

test('fresh lists are not updated again by a later run; stale ones or another archive are', async () => {
  const { run, calls } = fakeApt(() => ({}));
  const make = (now: string, archiveUri = 'http://mirror.example.org/debian') =>
    createPrivateApt({ dir, archiveUri, logger: recordingLogger(), run, now: () => new Date(now), listMaxAgeHours: 6 });
  await make('2025-06-01T00:00:00Z').ensureLists();
  await make('2025-06-01T05:00:00Z').ensureLists();
  expect(calls.filter((c) => subcommand(c) === 'update')).toHaveLength(1);
  await make('2025-06-01T07:00:00Z').ensureLists();
  expect(calls.filter((c) => subcommand(c) === 'update')).toHaveLength(2);
  await make('2025-06-01T07:30:00Z', 'http://other.example.org/debian').ensureLists();
  expect(calls.filter((c) => subcommand(c) === 'update')).toHaveLength(3);
});

test("an unreachable archive is a SourceUnavailableError with apt's reason", async () => {
  const { run } = fakeApt(() => ({
    code: 100,
    stderr:
      'E: Failed to fetch http://mirror.example.org/debian/dists/trixie/InRelease  Could not connect to mirror.example.org:80\nE: Some index files failed to download.\n',
  }));
  const apt = createPrivateApt({ dir, archiveUri: 'http://mirror.example.org/debian', logger: recordingLogger(), run });
  const error = await apt.ensureLists().catch((err: unknown) => err);
  expect(error).toBeInstanceOf(SourceUnavailableError);
  expect((error as Error).message).toMatch(
    /^apt-get update of http:\/\/mirror\.example\.org\/debian: Failed to fetch .*Could not connect/,
  );
});

test('an unreachable archive with earlier lists warns and uses them', async () => {
  let reachable = true;
  const { run } = fakeApt(() =>
    reachable ? {} : { code: 100, stderr: 'E: Failed to fetch x  Could not resolve host\n' },
  );
  await createPrivateApt({
    dir,
    archiveUri: 'http://mirror.example.org/debian',
    logger: recordingLogger(),
    run,
    now: () => new Date('2025-01-01T00:00:00Z'),
  }).ensureLists();
  reachable = false;
  const logger = recordingLogger();
  await createPrivateApt({
    dir,
    archiveUri: 'http://mirror.example.org/debian',
    logger,
    run,
    now: () => new Date('2025-02-01T00:00:00Z'),
  }).ensureLists();
  expect(logger.lines).toEqual([
    expect.stringMatching(
      /^warn apt-get update of .* failed \(Failed to fetch x {2}Could not resolve host\); using the lists fetched 2025-01-01T00:00:00.000Z$/,
    ),
  ]);
});

test('a bad archive signature is untrusted, never a silent fallback to old lists', async () => {
  let signed = true;
  const { run } = fakeApt(() =>
    signed
      ? {}
      : {
          code: 100,
          stderr:
            'W: GPG error: http://mirror.example.org/debian trixie InRelease: The following signatures were invalid: BADSIG 6ED0E7B82643E131\nE: The repository is not signed.\n',
        },
  );
  await createPrivateApt({
    dir,
    archiveUri: 'http://mirror.example.org/debian',
    logger: recordingLogger(),
    run,
    now: () => new Date('2025-01-01T00:00:00Z'),
  }).ensureLists();
  signed = false;
  const apt = createPrivateApt({
    dir,
    archiveUri: 'http://mirror.example.org/debian',
    logger: recordingLogger(),
    run,
    now: () => new Date('2025-02-01T00:00:00Z'),
  });
  await expect(apt.ensureLists()).rejects.toMatchObject({ exitCode: ExitCode.Untrusted });
});

test('download runs in the destination directory; a hash mismatch is untrusted', async () => {
  const { run, calls } = fakeApt((c) =>
    subcommand(c) === 'download'
      ? { code: 100, stderr: 'E: Failed to fetch http://x/pool/a.deb  Hash Sum mismatch\n' }
      : {},
  );
  const apt = createPrivateApt({ dir, archiveUri: 'http://mirror.example.org/debian', logger: recordingLogger(), run });
  await expect(apt.download(['golang-1.22-go:arm64=1.22.12-3~bpo12+1'], '/somewhere')).rejects.toMatchObject({
    exitCode: ExitCode.Untrusted,
  });
  const download = calls.find((c) => subcommand(c) === 'download')!;
  expect(download.cwd).toBe('/somewhere');
  expect(download.args.slice(-2)).toEqual(['download', 'golang-1.22-go:arm64=1.22.12-3~bpo12+1']);
});
