import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { selectTargets } from '../recipe/expand-targets';
import { resultsLine } from './build-results';
import { addBuildkitOptions, buildkitRequest, type BuildkitFlags } from './buildkit-options';
import { commandSession } from './command-session';
import { defaultConcurrency, parseConcurrency } from './engine-options';
import { collect, parseList, type GlobalOptions } from './global-options';
import { printJson, printOut } from './output';
import { addModuleOptions, moduleAccessOf, type ModuleFlags } from './module-options';
import { addSignOptions, signKeyOf, type SignFlags } from './sign-options';
import { viewAndLogger } from './progress-output';

interface NightlyOptions extends BuildkitFlags, SignFlags, ModuleFlags {
  registry?: string;
  report?: string;
  shard?: string;
  shards?: number;
  printMatrix: boolean;
  concurrency: number;
  tagPrefix: string;
  engine: string[];
  force: boolean;
  wait: boolean;
  withAmi: boolean;
  amiRegion?: string;
  amiEndpoint?: string;
  amiGoBaseUrl?: string;
  amiCopyTo: string[];
  json: boolean;
  refreshBases: boolean;
}

export function nightlyCommand(program: Command): Command {
  const command = program
    .command('nightly')
    .description(
      'bake every target whose inputs changed (new Go patch, new base digest, recipe change), ' +
        'publish and record it; skip the rest',
    )
    .argument('[targets...]', 'only these targets or recipes (default: all)')
    .option(
      '--registry <registry/prefix>',
      'publish to and keep the catalog in this registry; default: this machine (STATE/catalog)',
      urlOption('--registry', { bareHost: true }),
    )
    .option(
      '--report <dir>',
      'write summary.md (for a CI job summary), nightly.json and junit.xml here, and readiness reports under it',
    )
    .option('--shard <i/n>', 'bake only shard i of n (whole recipes, deterministic), for a CI matrix')
    .option('--print-matrix', 'print the shards as a CI matrix (JSON) and exit', false)
    .option('--shards <n>', 'with --print-matrix: how many shards (default: one per recipe)', parseConcurrency)
    .option('--concurrency <n>', 'targets built at once', parseConcurrency, defaultConcurrency())
    .option('--tag-prefix <prefix>', 'repository prefix of the local tags', 'bake')
    .option(
      '--engine <endpoint>',
      'Docker endpoint for every arch, or ARCH=ENDPOINT (e.g. arm64=ssh://builder@arm-host); repeatable; env BAKE_ENGINE_<ARCH>',
      collect,
      [],
    )
    .option('--force', 'bake every target even when its inputs are vetted already', false)
    .option('--wait', 'wait for another nightly run on this machine to finish instead of exiting', false)
    .option('--with-ami', "also bake each target's AMI (bake ami) when the catalog has none for its inputs", false)
    .option('--ami-region <region>', 'with --with-ami: AWS region (default: AWS_REGION, or the shared AWS config)')
    .option('--ami-endpoint <url>', 'with --with-ami: another EC2 API endpoint', urlOption('--ami-endpoint'))
    .option(
      '--ami-go-base-url <url>',
      'with --with-ami: builders download Go from <url>/<official file name> ' +
        '(default: where each archive was verified from)',
      urlOption('--ami-go-base-url'),
    )
    .option(
      '--ami-copy-to <regions>',
      'with --with-ami: copy vetted AMIs to these regions (comma-separated)',
      parseList,
      [],
    )
    .option(
      '--refresh-bases',
      'resolve the base tags live first and rewrite recipes/bases.lock.yaml (bake base update), ' +
        'so a new base digest rebuilds its targets',
      false,
    )
    .option('--json', 'print the run summary as JSON on stdout', false);
  return addModuleOptions(addSignOptions(addBuildkitOptions(command))).action(
    async (names: string[], options: NightlyOptions, cmd: Command) => {
      const shards = await import('../nightly/shards');
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const startedAt = new Date();
      const { view, logger } = viewAndLogger(globals);
      if (options.refreshBases) {
        const { updateBaseLock } = await import('../pipeline/update-base-lock');
        await updateBaseLock({ recipesDir: globals.recipes, env: process.env, logger, now: startedAt });
      }
      const session = await commandSession(cmd, logger);
      if (options.printMatrix) {
        const count = options.shards ?? new Set(session.targets.map((t) => t.recipe)).size;
        view.close();
        return printJson(shards.shardMatrix(session.targets, count));
      }
      const [{ parseEngineChoice }, { runExitCode }, { runNightly }, { openRegistry }] = await Promise.all([
        import('../engine/daemon/engine-set'),
        import('../pipeline/bake-targets'),
        import('../nightly/nightly-run'),
        import('../registry/open-registry'),
      ]);
      const shard = options.shard ? shards.parseShard(options.shard) : undefined;
      const modules = await moduleAccessOf(options, process.env);
      const chosen = names.length ? selectTargets(session.targets, names) : session.targets;
      const run = await runNightly({
        session,
        targets: shard ? shards.shardTargets(chosen, shard) : chosen,
        remote: options.registry ? await openRegistry(options.registry) : undefined,
        signKey: signKeyOf(options, options.registry, '--registry'),
        engines: parseEngineChoice(options.engine),
        concurrency: options.concurrency,
        tagPrefix: options.tagPrefix,
        force: options.force,
        buildkit: buildkitRequest(options),
        modules,
        wait: options.wait,
        reportDir: options.report,
        shard: options.shard,
        ami: options.withAmi
          ? {
              region: options.amiRegion,
              endpoint: options.amiEndpoint,
              goBaseUrl: options.amiGoBaseUrl,
              copyTo: options.amiCopyTo,
            }
          : undefined,
        onProgress: (label, event) => view.update(label, event),
        startedAt,
      }).finally(() => view.close());
      const results = run.summary.targets;
      const code = runExitCode(results);
      // In a terminal the summary is the last thing shown (an error line excepted): the log lines come first.
      logger.info(`summary: ${run.files.markdown}, ${run.files.json}, ${run.files.junit}`);
      if (code === ExitCode.Ok) logger.info(resultsLine(results));
      if (options.json) printJson(run.summary);
      else printOut(run.markdown);
      if (code !== ExitCode.Ok) throw new BakeError(resultsLine(results), code);
    },
  );
}
