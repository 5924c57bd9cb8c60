import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { createLogger } from '../common/log';
import { createProgressView } from '../engine/build-progress-view';
import { connectEngine } from '../engine/embedded-engine';
import { bakeTargets, runExitCode } from '../pipeline/bake-targets';
import { abortOnSignals } from '../pipeline/interrupts';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import { addEngineOption, defaultConcurrency, type EngineFlags, parseConcurrency } from './engine-options';
import type { GlobalOptions } from './global-options';
import { formatResults, resultsLine } from './build-results';
import { printJson } from './output';
import { openSession, pickTargets } from './session';

interface BuildOptions extends EngineFlags {
  all: boolean;
  concurrency: number;
  tagPrefix: string;
  report?: string;
  force: boolean;
  cache: boolean;
  json: boolean;
}

export function buildCommand(program: Command): Command {
  const command = program
    .command('build')
    .description('build targets with BuildKit, run the readiness suite on each image, and tag only what passes')
    .argument('[targets...]', 'target names (rocky9-arm64) or recipe names (all its architectures)')
    .option('--all', 'every target of the recipes', false)
    .option('--concurrency <n>', 'targets built at once', parseConcurrency, defaultConcurrency())
    .option('--tag-prefix <prefix>', 'repository prefix of the tags (PREFIX/<recipe>-go:...)', 'bake')
    .option('--report <dir>', 'where readiness reports go (DIR/<target>/<kind>/report.json, junit.xml); default STATE/reports')
    .option('--force', 'build and check even when vetted images of the same inputs exist', false)
    .option('--no-cache', "build every step afresh, ignoring the engine's build cache (implies --force)")
    .option('--json', 'print the results as JSON on stdout', false);
  return addEngineOption(command).action(async (names: string[], options: BuildOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    if (options.all === names.length > 0) throw new BakeError(options.all ? 'give target names or --all, not both' : 'name the targets to build, or pass --all', ExitCode.Usage, 'bake list shows the targets');
    const view = createProgressView({ stream: process.stderr });
    const logger = createLogger({ debug: globals.debug, quiet: globals.quiet, stream: { write: (text: string) => (view.print(text), true), isTTY: process.stderr.isTTY } as never });
    const session = await openSession(globals, logger);
    const targets = options.all ? session.targets : pickTargets(session, names);
    const engine = await connectEngine({ stateDir: session.stateDir, logger, endpoint: options.engine });
    const runId = randomBytes(6).toString('hex');
    const controller = new AbortController();
    const removeHandlers = abortOnSignals(controller, logger);
    // A check blocked in a long exec ends when its container goes; closing it is the driver's job otherwise.
    controller.signal.addEventListener('abort', () => void removeReadinessContainers(engine.docker, runId).catch(() => undefined), { once: true });
    let results;
    try {
      results = await bakeTargets({
        targets,
        plan: session,
        engine,
        concurrency: options.concurrency,
        workDir: join(session.cacheDir, 'work', runId),
        reportDir: options.report ?? join(session.stateDir, 'reports'),
        tagPrefix: options.tagPrefix,
        runId,
        now: session.now,
        force: options.force || !options.cache,
        noCache: !options.cache,
        signal: controller.signal,
        onProgress: (label, event) => view.update(label, event),
      });
    } finally {
      removeHandlers();
      view.close();
      await removeReadinessContainers(engine.docker, runId).catch(() => undefined);
    }
    if (options.json) printJson(results);
    else process.stdout.write(`${formatResults(results)}\n`);
    const code = runExitCode(results);
    if (code !== ExitCode.Ok) throw new BakeError(resultsLine(results), code);
    logger.info(resultsLine(results));
  });
}
