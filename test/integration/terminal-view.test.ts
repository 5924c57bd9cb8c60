import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';
import { testBakeCacheDir, testStateDir } from '../support/test-dirs';
import { runInTerminal, writtenLines, type TerminalRun } from '../support/tmux-terminal';

/**
 * `bake build` as a person sees it in a 160×30 terminal (tmux): the live view shows while the
 * images build and the checks run, log lines go above it and stay whole (a tag line is longer
 * than the terminal is wide), the view is gone once the run ends, and the result table is the
 * last thing on screen. The build is BuildKit's cached one of the other build tests (`--force`
 * still builds and checks both images).
 */
const run = randomBytes(3).toString('hex');
const tagPrefix = `bake-test-${run}-tty`;
const engine = testEngine();
let scratch: string;
let terminal: TerminalRun;

/** A line of the live view: `<target>/<kind>  starting`, or its step, state and counts. */
const STATUS_LINE = /^\S+ {2}(starting$|.*\(\d+ steps, \d+ cached\)$)/;
/** Any piece of a status line, wherever it ended up. */
const STATUS_PIECE = /\(\d+ steps, \d+ cached\)|^\S+\/(toolchain|runtime) {2}(#\d+|starting)/;

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-terminal-view-'));
  terminal = await runInTerminal({
    columns: 160,
    rows: 30,
    argv: [
      process.execPath,
      'bin/bake.js',
      'build',
      'debian12-amd64',
      '--force',
      '--go-source',
      'debian',
      '--engine',
      services().engine.endpoint,
      '--tag-prefix',
      tagPrefix,
      '--report',
      join(scratch, 'reports'),
    ],
    cwd: resolve(__dirname, '..', '..'),
    env: { BAKE_CACHE_DIR: testBakeCacheDir(), BAKE_STATE_DIR: testStateDir() },
    // A terminal outside CI: the live view's conditions, whatever runs the tests.
    unset: ['CI'],
    dir: scratch,
    timeoutMs: 20 * 60 * 1000,
  });
  if (process.env.BAKE_TEST_VERBOSE) process.stderr.write(`${terminal.screen.join('\n')}\n`);
});

afterAll(async () => {
  const tags = (await engine.docker.listImages())
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`${tagPrefix}/`));
  for (const tag of tags) await engine.removeImage(tag);
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('bake build debian12-amd64 --force in a 160x30 terminal', () => {
  test('the build succeeds, both images vetted, and the live view was drawn while it ran', () => {
    // The screen's last lines with the exit, so a failure shows what the person would have seen.
    expect({ exit: terminal.exit, end: terminal.screen.slice(-8) }).toEqual({
      exit: 0,
      end: terminal.screen.slice(-8),
    });
    expect(writtenLines(terminal.raw).filter((line) => STATUS_LINE.test(line)).length).toBeGreaterThan(0);
    expect(terminal.screen).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pass go\.version \(/),
        expect.stringMatching(new RegExp(`^debian12-amd64/toolchain: vetted, tagged ${tagPrefix}/debian12-go:`)),
        expect.stringMatching(new RegExp(`^debian12-amd64/runtime: vetted, tagged ${tagPrefix}/debian12-runtime:`)),
      ]),
    );
  });

  // The view's own tests hold whatever the images' checks say.
  test('no status line, nor any piece of one, is left on screen or in the scrollback', () => {
    expect(writtenLines(terminal.raw).filter((line) => STATUS_LINE.test(line)).length).toBeGreaterThan(0);
    expect(terminal.screen.filter((line) => STATUS_PIECE.test(line))).toEqual([]);
  });

  test('every line shown is a whole line bake wrote, in order: its log lines, then the table', () => {
    const written = writtenLines(terminal.raw).filter((line) => !STATUS_LINE.test(line));
    expect(terminal.screen).toEqual(written);
    // Lines wider than the terminal wrapped: those are the ones a status line used to overwrite.
    expect(terminal.screen.filter((line) => line.length > 160).length).toBeGreaterThan(0);
    expect(terminal.screen).toEqual(expect.arrayContaining([expect.stringMatching(/^debian12-amd64\/toolchain: /)]));
    // A terminal's log lines carry no timestamp (CI's do).
    expect(terminal.screen.filter((line) => /^\d{4}-\d\d-\d\dT/.test(line))).toEqual([]);
  });

  test('the result table is the last thing on screen (after it, only the error line of a failed run)', () => {
    const { screen } = terminal;
    const header = screen.findIndex((line) => /^TARGET +KIND +RESULT +GO +TIME +TAG OR REASON$/.test(line));
    expect(header).toBeGreaterThan(0);
    expect(screen.slice(header + 1, header + 3)).toEqual([
      expect.stringMatching(/^debian12-amd64 +toolchain +\S+ +\S+ \(debian\) +\S+s +\S/),
      expect.stringMatching(/^debian12-amd64 +runtime +\S+ +\S+ \(debian\) +\S+s +\S/),
    ]);
    const reports = screen.indexOf('readiness reports (JSON; JUnit XML beside each):', header);
    const dir = join(scratch, 'reports');
    expect(screen.slice(reports + 1, reports + 3)).toEqual([
      `  debian12-amd64/toolchain: ${join(dir, 'debian12-amd64', 'toolchain', 'report.json')}`,
      `  debian12-amd64/runtime: ${join(dir, 'debian12-amd64', 'runtime', 'report.json')}`,
    ]);
    const after = screen.slice(reports + 3);
    if (terminal.exit === 0) {
      expect(after).toEqual([]);
      expect(screen[header - 1]).toBe('1 target: 1 vetted');
    } else {
      expect(after[0]).toMatch(/^bake: 1 target: /);
      expect(after.filter((line) => !/^(bake: |hint: | {2}\S)/.test(line))).toEqual([]);
    }
  });
});
