import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BakeError, ExitCode, errorMessage } from '../common/errors';
import type { DockerEngine } from '../engine/docker-engine';
import { planTarget, type PlanContext } from '../plan/plan-target';
import type { Target } from '../recipe/types';
import { bakeTarget, type BakeTargetInput } from './bake-target';
import { runPool } from './run-pool';
import type { TargetResult } from './types';

export interface BakeTargetsInput extends Omit<BakeTargetInput, 'plan' | 'contexts' | 'goArchivePath' | 'engine' | 'workDir' | 'cacheDir' | 'logger'> {
  targets: Target[];
  plan: PlanContext;
  engine: DockerEngine;
  concurrency: number;
  /** Scratch space for this run; removed at the end. */
  workDir: string;
}

/**
 * Plans and bakes every target, at most `concurrency` at once. A target that fails (or whose
 * Go or base cannot be had) is reported and never stops the others.
 */
export async function bakeTargets(input: BakeTargetsInput): Promise<TargetResult[]> {
  const { plan: ctx, signal } = input;
  await fs.mkdir(input.workDir, { recursive: true });
  try {
    return await runPool(
      input.targets,
      input.concurrency,
      async (target) => {
        const started = performance.now();
        let planned;
        try {
          planned = await planTarget(ctx, target);
        } catch (err) {
          const code = err instanceof BakeError ? err.exitCode : ExitCode.Failure;
          return { target: target.name, status: code === ExitCode.Unavailable ? 'unavailable' : 'failed', images: [], message: errorMessage(err), exitCode: code, durationMs: Math.round(performance.now() - started) };
        }
        return bakeTarget({ ...input, plan: planned.plan, contexts: planned.contexts, goArchivePath: planned.dist.path, cacheDir: ctx.cacheDir, logger: ctx.logger });
      },
      (target) => ({ target: target.name, status: 'interrupted', images: [], message: 'not started: interrupted', exitCode: ExitCode.Interrupted, durationMs: 0 }),
      signal,
    );
  } finally {
    await fs.rm(join(input.workDir), { recursive: true, force: true });
  }
}

/**
 * The exit code of a run: interrupted, else the first failure's own code, else rejected
 * images, else unavailable bases (so CI can tell "cannot build here" from "broken"), else 0.
 */
export function runExitCode(results: TargetResult[]): number {
  if (results.some((r) => r.status === 'interrupted')) return ExitCode.Interrupted;
  const failed = results.find((r) => r.status === 'failed');
  if (failed) return failed.exitCode ?? ExitCode.Failure;
  if (results.some((r) => r.status === 'rejected')) return ExitCode.CheckFailed;
  if (results.some((r) => r.status === 'unavailable')) return ExitCode.Unavailable;
  return ExitCode.Ok;
}
