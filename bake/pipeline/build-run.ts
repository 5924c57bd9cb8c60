import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { engineConnector } from '../engine/daemon/engine-set';
import type { EngineChoice } from '../engine/daemon/types';
import type { Plan } from '../plan/types';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import { localCatalog } from '../registry/open-registry';
import type { PublishTarget } from '../registry/publish-run';
import type { Target } from '../recipe/types';
import { bakeTargets } from './bake-targets';
import { publishBaked } from './publish-baked';
import { publishSigning } from './publish-signing';
import { catalogImages, refuseReproducedRevoked, revokedReason } from './revoked-rebuilds';
import { withInterrupts } from './interrupts';
import type { Session } from './session';
import type { BakedTarget, BuildkitRequest, ModuleAccess, TargetProgress } from './types';

export interface BuildRunOptions {
  engines: EngineChoice;
  concurrency: number;
  tagPrefix: string;
  reportDir: string;
  force: boolean;
  noCache: boolean;
  buildkit?: BuildkitRequest;
  remote?: PublishTarget;
  /** With `remote`: the cosign key that signs what is pushed (absent: pushed unsigned, and said so). */
  signKey?: string;
  /** Skip targets whose plan this says is vetted already (nightly: the catalog). */
  alreadyVetted?: (plan: Plan) => Promise<boolean>;
  onProgress?: TargetProgress;
  /** The module proxy and credential for recipes with module tools. */
  modules?: ModuleAccess;
}

/**
 * What `bake build` and `bake nightly` share: connect the engines, bake the targets with
 * bounded concurrency, record what was vetted (and publish it when a registry is given),
 * all under one interrupt handler that cancels builds and removes check containers.
 */
export async function runBuild(session: Session, targets: Target[], options: BuildRunOptions): Promise<BakedTarget[]> {
  const { logger } = session;
  const engines = engineConnector(options.engines, { stateDir: session.stateDir, logger });
  const runId = randomBytes(6).toString('hex');
  const local = localCatalog(session.stateDir);
  const known = await catalogImages(options.remote ? [options.remote.catalog, local] : [local]);
  const removeCheckContainers = async () =>
    Promise.all((await engines.connected()).map((e) => removeReadinessContainers(e.docker, runId).catch(() => [])));
  const signing = options.remote
    ? await publishSigning({
        keyPath: options.signKey,
        remote: options.remote,
        recipesDir: session.recipesDir,
        stateDir: session.stateDir,
        logger,
        env: session.env,
        engineFor: (arch) => engines.engineFor(arch),
      })
    : undefined;
  return withInterrupts({ logger, cleanup: removeCheckContainers }, async (signal) => {
    const baked = await bakeTargets({
      targets,
      plan: session,
      engineFor: (arch) => engines.engineFor(arch),
      concurrency: options.concurrency,
      workDir: join(session.cacheDir, 'work', runId),
      reportDir: options.reportDir,
      tagPrefix: options.tagPrefix,
      runId,
      now: session.now,
      force: options.force,
      noCache: options.noCache,
      buildkit: options.buildkit,
      alreadyVetted: options.alreadyVetted,
      rebuildReason: revokedReason(known),
      reports: local,
      signal,
      onProgress: options.onProgress,
      modules: options.modules,
    });
    await refuseReproducedRevoked(baked, known, { catalog: local, engineFor: (a) => engines.engineFor(a) }, logger);
    await publishBaked({
      baked,
      engineFor: (plan) => engines.engineFor(plan.target.arch),
      local,
      remote: options.remote,
      signing,
      lockDir: join(session.stateDir, 'locks'),
      now: session.now,
      logger,
      signal,
    });
    return baked;
  });
}
