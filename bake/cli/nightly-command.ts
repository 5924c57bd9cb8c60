import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { sha256Hex } from '../common/sha256';
import { parseEngineChoice } from '../engine/engine-set';
import { withFileLock } from '../common/file-lock';
import { urlOption } from '../common/url-credentials';
import { vettedInCatalog } from '../nightly/catalog-check';
import { bakeNightlyAmis } from '../nightly/nightly-amis';
import { explainRebuilds } from '../nightly/rebuild-reasons';
import { Ec2Sdk } from '../vm/ec2-sdk';
import { writeNightlyFiles } from '../nightly/nightly-files';
import { nightlySummary } from '../nightly/nightly-summary';
import { parseShard, shardMatrix, shardTargets } from '../nightly/shards';
import { runExitCode } from '../pipeline/bake-targets';
import { updateBaseLock } from '../pipeline/update-base-lock';
import { localCatalog, openRegistry } from '../registry/open-registry';
import { resultsLine } from './build-results';
import { defaultConcurrency, parseConcurrency } from './engine-options';
import { collect, parseList, type GlobalOptions } from './global-options';
import { printJson, printOut } from './output';
import { runPipeline, viewAndLogger } from './pipeline-run';
import { openSession, pickTargets } from './session';

/** Nightly AMI bakes wait as long as `bake ami` does by default. */
const AMI_TIMEOUTS = { provisionMs: 30 * 60_000, consoleMs: 2 * 60_000, stateMs: 15 * 60_000, pollMs: 10_000 };

interface NightlyOptions {
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
  return program
    .command('nightly')
    .description('bake every target whose inputs changed (new Go patch, new base digest, recipe change), publish and record it; skip the rest')
    .argument('[targets...]', 'only these targets or recipes (default: all)')
    .option('--registry <registry/prefix>', 'publish to and keep the catalog in this registry; default: this machine (STATE/catalog)', urlOption('--registry', { bareHost: true }))
    .option('--report <dir>', 'write summary.md (for a CI job summary), nightly.json and junit.xml here, and readiness reports under it')
    .option('--shard <i/n>', 'bake only shard i of n (whole recipes, deterministic), for a CI matrix')
    .option('--print-matrix', 'print the shards as a CI matrix (JSON) and exit', false)
    .option('--shards <n>', 'with --print-matrix: how many shards (default: one per recipe)', parseConcurrency)
    .option('--concurrency <n>', 'targets built at once', parseConcurrency, defaultConcurrency())
    .option('--tag-prefix <prefix>', 'repository prefix of the local tags', 'bake')
    .option('--engine <endpoint>', 'Docker endpoint for every arch, or ARCH=ENDPOINT (e.g. arm64=ssh://builder@arm-host); repeatable; env BAKE_ENGINE_<ARCH>', collect, [])
    .option('--force', 'bake every target even when its inputs are vetted already', false)
    .option('--wait', 'wait for another nightly run on this machine to finish instead of exiting', false)
    .option('--with-ami', "also bake each target's AMI (bake ami) when the catalog has none for its inputs", false)
    .option('--ami-region <region>', 'with --with-ami: AWS region (default: AWS_REGION, or the shared AWS config)')
    .option('--ami-endpoint <url>', 'with --with-ami: another EC2 API endpoint', urlOption('--ami-endpoint'))
    .option('--ami-go-base-url <url>', 'with --with-ami: builders download Go from <url>/<official file name> (default: where each archive was verified from)', urlOption('--ami-go-base-url'))
    .option('--ami-copy-to <regions>', 'with --with-ami: copy vetted AMIs to these regions (comma-separated)', parseList, [])
    .option('--refresh-bases', 'resolve the base tags live first and rewrite recipes/bases.lock.yaml (bake base update), so a new base digest rebuilds its targets', false)
    .option('--json', 'print the run summary as JSON on stdout', false)
    .action(async (names: string[], options: NightlyOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const started = new Date();
      const t0 = performance.now();
      const { view, logger } = viewAndLogger(globals);
      if (options.refreshBases) await updateBaseLock({ recipesDir: globals.recipes, env: process.env, logger, now: started });
      const session = await openSession(globals, logger);
      if (options.printMatrix) {
        const count = options.shards ?? new Set(session.targets.map((t) => t.recipe)).size;
        view.close();
        return printJson(shardMatrix(session.targets, count));
      }
      const shard = options.shard ? parseShard(options.shard) : undefined;
      const chosen = names.length ? pickTargets(session, names) : session.targets;
      const targets = shard ? shardTargets(chosen, shard) : chosen;
      const remote = options.registry ? await openRegistry(options.registry) : undefined;
      const catalog = remote?.catalog ?? localCatalog(session.stateDir);
      const lockFile = join(session.stateDir, 'locks', `nightly-${sha256Hex(catalog.location).slice(0, 16)}.lock`);
      const reportDir = options.report ?? join(session.stateDir, 'nightly');

      const results = await withFileLock(
        lockFile,
        async () => {
          const baked = await runPipeline(
            session,
            targets,
            {
              engines: parseEngineChoice(options.engine),
              concurrency: options.concurrency,
              tagPrefix: options.tagPrefix,
              reportDir,
              force: options.force,
              noCache: false,
              remote,
              alreadyVetted: vettedInCatalog(catalog, remote?.client),
            },
            view,
          );
          await explainRebuilds(baked, catalog);
          if (options.withAmi) {
            const ec2 = await Ec2Sdk.connect({ region: options.amiRegion, endpoint: options.amiEndpoint });
            await bakeNightlyAmis({
              baked,
              ctx: session,
              ec2,
              regionApi: (region) => ec2.inRegion(region),
              catalogs: remote ? [catalog, localCatalog(session.stateDir)] : [catalog],
              goBaseUrl: options.amiGoBaseUrl,
              ec2Endpoint: options.amiEndpoint,
              copyTo: options.amiCopyTo,
              timeouts: AMI_TIMEOUTS,
              lockDir: join(session.stateDir, 'locks'),
              now: session.now,
              logger,
            });
          }
          return baked.map((b) => b.result);
        },
        {
          timeoutMs: options.wait ? 12 * 3600_000 : 0,
          onWait: (pid) => {
            if (!options.wait) throw new BakeError(`another bake nightly (pid ${pid}) is running for ${catalog.location}; it holds ${lockFile}`, ExitCode.Locked, 'wait for it, or pass --wait');
            logger.info(`waiting for bake nightly (pid ${pid}) to finish with ${catalog.location}`);
          },
        },
      );

      const summary = nightlySummary(results, { startedAt: started, durationMs: Math.round(performance.now() - t0), location: catalog.location, shard: options.shard });
      const { files, markdown } = await writeNightlyFiles(reportDir, summary, process.env.GITHUB_STEP_SUMMARY);
      if (options.json) printJson(summary);
      else printOut(markdown);
      logger.info(`summary: ${files.markdown}, ${files.json}, ${files.junit}`);
      const code = runExitCode(results);
      if (code !== ExitCode.Ok) throw new BakeError(resultsLine(results), code);
      logger.info(resultsLine(results));
    });
}
