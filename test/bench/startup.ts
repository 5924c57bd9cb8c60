import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './median';

const RUNS = 7;

export interface StartupFigures {
  /** Median wall seconds of `node -e 0`: what any Node.js command pays, the baseline. */
  nodeS: number;
  versionS: number;
  helpS: number;
  /** bake's own share: (bake --version) / (node -e 0). */
  versionRatio: number;
  helpRatio: number;
}

/** How long the CLI takes to answer before it does any work, against Node.js starting with nothing. */
export function startupFigures(root: string): StartupFigures {
  const bin = join(root, 'bin', 'bake.js');
  const nodeS = medianOf(() => run(['-e', '0']));
  const versionS = medianOf(() => run([bin, '--version']));
  const helpS = medianOf(() => run([bin, '--help']));
  const r = (n: number) => Number(n.toFixed(3));
  return {
    nodeS: r(nodeS),
    versionS: r(versionS),
    helpS: r(helpS),
    versionRatio: r(versionS / nodeS),
    helpRatio: r(helpS / nodeS),
  };
}

function run(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return (performance.now() - start) / 1000;
}

function medianOf(sample: () => number): number {
  return median(Array.from({ length: RUNS }, sample));
}
