import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ExitCode } from '../common/errors';
import type { DockerEngine } from '../engine/docker-engine';
import { refreshOsArchives } from '../plan/os-packages';
import { planTarget } from '../render/plan-target';
import type { Plan, PlanContext } from '../plan/types';
import type { Arch, Target } from '../recipe/types';
import type { BakeTargetInput } from './bake-target';
import { runPool } from './run-pool';
import { targetFailure } from './target-failure';
import type { BakedTarget, TargetResult } from './types';

export interface BakeTargetsInput extends Omit<
  BakeTargetInput,
  'plan' | 'contexts' | 'dist' | 'builderDist' | 'engine' | 'cacheDir' | 'env' | 'logger'
> {
  targets: Target[];
  plan: PlanContext;
  /** The engine that builds each architecture (connected when first needed). */
  engineFor: (arch: Arch) => Promise<DockerEngine>;
  concurrency: number;
  /**
   * Whether a plan is already vetted where this run records its results (the catalog); such a
   * target is skipped before any engine work. Absent: the engine's own images decide.
   */
  alreadyVetted?: (plan: Plan) => Promise<boolean>;
  /**
   * Why a plan must be built again from scratch although its inputs were vetted (an image of
   * them was revoked); such a target is never skipped and builds without the build cache.
   */
  rebuildReason?: (plan: Plan) => Promise<string | undefined>;
}

/**
 * Plans and bakes every target, at most `concurrency` at once. A target that fails (or whose
 * Go or base cannot be had) is reported and never stops the others.
 */
export async function bakeTargets(input: BakeTargetsInput): Promise<BakedTarget[]> {
  const { plan: ctx, signal } = input;
  await fs.mkdir(input.workDir, { recursive: true });
  // One apt-get update per suite and run, not part of any one target's time.
  await refreshOsArchives(ctx, input.targets);
  try {
    return await runPool(
      input.targets,
      input.concurrency,
      async (target): Promise<BakedTarget> => {
        const started = performance.now();
        const elapsed = () => Math.round(performance.now() - started);
        let planned;
        try {
          planned = await planTarget(ctx, target);
        } catch (err) {
          return { result: failure(target, err, elapsed(), signal) };
        }
        const { plan } = planned;
        const rebuild = await input.rebuildReason?.(plan);
        if (rebuild) ctx.logger.info(`${target.name}: ${rebuild}`);
        if (!rebuild && !input.force && (await input.alreadyVetted?.(plan))) {
          ctx.logger.info(`${target.name}: inputs ${plan.inputsDigest.slice(0, 19)} already vetted; skipped`);
          return {
            result: {
              target: target.name,
              status: 'skipped',
              inputsDigest: plan.inputsDigest,
              go: { version: plan.go.version, source: plan.go.source },
              images: [],
              durationMs: elapsed(),
            },
            plan,
          };
        }
        let engine;
        try {
          engine = await input.engineFor(target.arch);
        } catch (err) {
          return { result: failure(target, err, elapsed(), signal), plan };
        }
        // The build and check stages load with the first target to bake: a run that skips all loads none.
        const { bakeTarget } = await import('./bake-target');
        const result = await bakeTarget({
          ...input,
          ...(rebuild ? { force: true, noCache: true } : {}),
          plan,
          contexts: planned.contexts,
          dist: planned.dist,
          builderDist: planned.builderDist,
          engine,
          cacheDir: ctx.cacheDir,
          env: ctx.env,
          logger: ctx.logger,
        });
        return {
          result: {
            ...result,
            engine: engine.endpoint,
            durationMs: elapsed(),
            ...(rebuild ? { rebuildReason: rebuild } : {}),
          },
          plan,
        };
      },
      (target) => ({
        result: {
          target: target.name,
          status: 'interrupted',
          images: [],
          message: 'not started: interrupted',
          exitCode: ExitCode.Interrupted,
          durationMs: 0,
        },
      }),
      signal,
    );
  } finally {
    await fs.rm(input.workDir, { recursive: true, force: true });
  }
}

function failure(target: Target, err: unknown, durationMs: number, signal?: AbortSignal): TargetResult {
  const { status, message, exitCode } = targetFailure(err, signal);
  return { target: target.name, status, images: [], message, exitCode, durationMs };
}

/**
 * The exit code of a run: interrupted, else the first failure's own code, else rejected
 * images, else unavailable bases or Go (so CI can tell "cannot build here" from "broken"), else 0.
 */
export function runExitCode(results: TargetResult[]): number {
  if (results.some((r) => r.status === 'interrupted')) return ExitCode.Interrupted;
  const failed = results.find((r) => r.status === 'failed');
  if (failed) return failed.exitCode ?? ExitCode.Failure;
  if (results.some((r) => r.status === 'rejected')) return ExitCode.CheckFailed;
  if (results.some((r) => r.status === 'unavailable')) return ExitCode.Unavailable;
  return ExitCode.Ok;
}
