import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NightlySummary } from '../../bake/nightly/nightly-summary';
import { median } from './median';

export interface NoOpNightlyOptions {
  root: string;
  /** The bench's own state: its local catalog persists from one bench run to the next. */
  stateDir: string;
  reportDir: string;
  goSources: string[];
  tagPrefix: string;
  runs: number;
  say: (line: string) => void;
}

export interface NoOpNightlyFigures {
  note: string;
  targets: number;
  skipped: number;
  unavailable: number;
  /** The run before the measured ones, which bakes whatever this catalog lacks (nothing once primed). */
  primingS: number;
  primingBuilt: number;
  runsS: number[];
  medianS: number;
  /**
   * Of each measured run, the longest `apt-get update` it logged (the suites refresh at once):
   * the time spent asking the Debian archive whether anything changed, which no run may skip.
   */
  archiveRefreshS: number[];
  /** Median of (run - its archive refresh): bake's own time for a nightly with nothing to do. */
  medianWithoutArchiveS: number;
}

/**
 * `bake nightly` of every target of the recipes with nothing to do, as this machine can have it:
 * a catalog recording the current inputs of every target this machine can build (the Debian
 * ones, bootstrapped), and the rest `unavailable` (their bases come only from a registry,
 * which does not answer here). Nothing is faked: a first run bakes what the catalog lacks (on a
 * fresh machine that is every buildable target, a long run, said so), then each measured run
 * must build nothing; one that does stops the bench.
 */
export async function noOpNightlyFigures(options: NoOpNightlyOptions): Promise<NoOpNightlyFigures> {
  const priming = await nightly(options, 'priming');
  options.say(
    `no-op nightly: priming run ${priming.seconds.toFixed(1)} s, built ${priming.summary.counts.built}, ` +
      `skipped ${priming.summary.counts.skipped}, unavailable ${priming.summary.counts.unavailable}`,
  );
  if (priming.summary.counts.failed > 0)
    throw new Error(`the priming nightly failed ${failedTargets(priming.summary)}; see ${options.reportDir}/priming`);
  const measured: Run[] = [];
  for (let i = 0; i < options.runs; i++) {
    const run = await nightly(options, `run-${i + 1}`);
    const { built, failed } = run.summary.counts;
    if (built > 0 || failed > 0)
      throw new Error(
        `a nightly after the priming one had work to do (built ${built}, failed ${failed}): ` +
          'the archive or Go changed in between; run the bench again',
      );
    measured.push(run);
  }
  const last = measured[measured.length - 1].summary;
  const runsS = measured.map((r) => round(r.seconds));
  const without = measured.map((r) => r.seconds - r.archiveRefreshS);
  return {
    note:
      'bake nightly of every target with nothing to do: the catalog records the current inputs of ' +
      'every target this machine can build, the rest are unavailable (bases only in a registry); ' +
      'wall time, including the refresh of the Debian archive lists every nightly makes',
    targets: last.targets.length,
    skipped: last.counts.skipped,
    unavailable: last.counts.unavailable,
    primingS: round(priming.seconds),
    primingBuilt: priming.summary.counts.built,
    runsS,
    medianS: round(median(measured.map((r) => r.seconds))),
    archiveRefreshS: measured.map((r) => round(r.archiveRefreshS)),
    medianWithoutArchiveS: round(median(without)),
  };
}

interface Run {
  seconds: number;
  summary: NightlySummary;
  archiveRefreshS: number;
}

async function nightly(options: NoOpNightlyOptions, name: string): Promise<Run> {
  const reportDir = join(options.reportDir, name);
  const args = [
    join(options.root, 'bin', 'bake.js'),
    'nightly',
    '--go-source',
    options.goSources.join(','),
    '--tag-prefix',
    options.tagPrefix,
    '--report',
    reportDir,
  ];
  const start = performance.now();
  const { code, stderr } = await runNode(args, { ...process.env, BAKE_STATE_DIR: options.stateDir, CI: '1' });
  const seconds = (performance.now() - start) / 1000;
  // 6: some targets are unavailable here, the expected outcome of the registry-only bases.
  if (code !== 0 && code !== 6) throw new Error(`bake nightly (${name}) exited ${code}:\n${stderr.slice(-4000)}`);
  const summary = JSON.parse(await fs.readFile(join(reportDir, 'nightly.json'), 'utf8')) as NightlySummary;
  return { seconds, summary, archiveRefreshS: longestAptUpdate(stderr) };
}

/** The longest `apt-get update (...): N s` line bake logged. */
export function longestAptUpdate(stderr: string): number {
  const seconds = [...stderr.matchAll(/apt-get update \(.*\): (\d+(?:\.\d+)?) s$/gm)].map((m) => Number(m[1]));
  return seconds.length ? Math.max(...seconds) : 0;
}

function failedTargets(summary: NightlySummary): string {
  return summary.targets
    .filter((t) => t.outcome === 'failed')
    .map((t) => `${t.target} (${(t.message ?? '').split('\n')[0]})`)
    .join(', ');
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function round(n: number): number {
  return Number(n.toFixed(2));
}
