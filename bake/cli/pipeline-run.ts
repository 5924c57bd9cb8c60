import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLogger, type Logger } from '../common/log';
import { createProgressView, type ProgressView } from '../engine/build-progress-view';
import { engineConnector, type EngineChoice } from '../engine/engine-set';
import { bakeTargets } from '../pipeline/bake-targets';
import { abortOnSignals } from '../pipeline/interrupts';
import { publishBaked } from '../pipeline/publish-baked';
import type { BakedTarget } from '../pipeline/types';
import type { Plan } from '../plan/types';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import { localCatalog } from '../registry/open-registry';
import type { PublishTarget } from '../registry/publish-run';
import type { Target } from '../recipe/types';
import type { GlobalOptions } from './global-options';
import type { Session } from './session';

export interface PipelineRunOptions {
  engines: EngineChoice;
  concurrency: number;
  tagPrefix: string;
  reportDir: string;
  force: boolean;
  noCache: boolean;
  remote?: PublishTarget;
  /** Skip targets whose plan this says is vetted already (nightly: the catalog). */
  alreadyVetted?: (plan: Plan) => Promise<boolean>;
}

/** A progress view on stderr and a logger that prints above it rather than through it. */
export function viewAndLogger(globals: GlobalOptions): { view: ProgressView; logger: Logger } {
  const view = createProgressView({ stream: process.stderr });
  const stream = { write: (text: string) => (view.print(text), true), isTTY: process.stderr.isTTY } as unknown as NodeJS.WritableStream;
  return { view, logger: createLogger({ debug: globals.debug, quiet: globals.quiet, stream }) };
}

/**
 * What `bake build` and `bake nightly` share: connect the engines, bake the targets with
 * bounded concurrency, record what was vetted (and publish it when a registry is given),
 * all under one interrupt handler that cancels builds and removes check containers.
 */
export async function runPipeline(session: Session, targets: Target[], options: PipelineRunOptions, view: ProgressView): Promise<BakedTarget[]> {
  const { logger } = session;
  const engines = engineConnector(options.engines, { stateDir: session.stateDir, logger });
  const runId = randomBytes(6).toString('hex');
  const local = localCatalog(session.stateDir);
  const controller = new AbortController();
  const removeHandlers = abortOnSignals(controller, logger);
  const removeCheckContainers = async () => Promise.all((await engines.connected()).map((e) => removeReadinessContainers(e.docker, runId).catch(() => [])));
  // A check blocked in a long exec ends when its container goes; closing it is the driver's job otherwise.
  controller.signal.addEventListener('abort', () => void removeCheckContainers(), { once: true });
  try {
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
      alreadyVetted: options.alreadyVetted,
      reports: local,
      signal: controller.signal,
      onProgress: (label, event) => view.update(label, event),
    });
    await publishBaked({
      baked,
      engineFor: (plan) => engines.engineFor(plan.target.arch),
      local,
      remote: options.remote,
      lockDir: join(session.stateDir, 'locks'),
      now: session.now,
      logger,
      signal: controller.signal,
    });
    return baked;
  } finally {
    removeHandlers();
    view.close();
    await removeCheckContainers();
  }
}
