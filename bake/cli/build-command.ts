import { join } from 'node:path';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { selectTargets } from '../recipe/expand-targets';
import { formatResults, resultsLine } from './build-results';
import { addBuildkitOptions, buildkitRequest, type BuildkitFlags } from './buildkit-options';
import { commandSession } from './command-session';
import { collect, type GlobalOptions } from './global-options';
import { defaultConcurrency, parseConcurrency } from './engine-options';
import { printJson, printOut } from './output';
import { addModuleOptions, moduleAccessOf, type ModuleFlags } from './module-options';
import { addSignOptions, signKeyOf, type SignFlags } from './sign-options';
import { viewAndLogger } from './progress-output';

interface BuildOptions extends BuildkitFlags, SignFlags, ModuleFlags {
  all: boolean;
  concurrency: number;
  tagPrefix: string;
  report?: string;
  force: boolean;
  cache: boolean;
  push?: string;
  engine: string[];
  json: boolean;
}

export function buildCommand(program: Command): Command {
  const command = program
    .command('build')
    .description('build targets with BuildKit, run the readiness suite on each image, and tag only what passes')
    .argument('[targets...]', 'target names (rocky9-arm64) or recipe names (all its architectures)')
    .option('--all', 'every target of the recipes', false)
    .option('--concurrency <n>', 'targets built at once', parseConcurrency, defaultConcurrency())
    .option('--tag-prefix <prefix>', 'repository prefix of the local tags (PREFIX/<recipe>-go:...)', 'bake')
    .option(
      '--report <dir>',
      'where readiness reports go (DIR/<target>/<kind>/report.json, junit.xml); default STATE/reports',
    )
    .option('--force', 'build and check even when vetted images of the same inputs exist', false)
    .option(
      '--no-cache',
      "build every step of the plan's stages afresh, ignoring the engine's build cache (implies --force; " +
        'the Go tree and standard-library cache images, named by their content, are kept)',
    )
    .option(
      '--push <registry/prefix>',
      'push vetted images, their multi-arch moving tags and the catalog to a registry ' +
        '(credentials: docker login or BAKE_REGISTRY_USERNAME/PASSWORD)',
      urlOption('--push', { bareHost: true }),
    )
    .option(
      '--engine <endpoint>',
      'Docker endpoint (unix://, tcp://, ssh://) for every arch, or ARCH=ENDPOINT for one; repeatable; env BAKE_ENGINE_<ARCH>',
      collect,
      [],
    )
    .option('--json', 'print the results as JSON on stdout', false);
  return addModuleOptions(addSignOptions(addBuildkitOptions(command))).action(
    async (names: string[], options: BuildOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      if (options.all === names.length > 0)
        throw new BakeError(
          options.all ? 'give target names or --all, not both' : 'name the targets to build, or pass --all',
          ExitCode.Usage,
          'bake list shows the targets',
        );
      const [{ parseEngineChoice }, { runExitCode }, { runBuild }, { openRegistry }] = await Promise.all([
        import('../engine/daemon/engine-set'),
        import('../pipeline/bake-targets'),
        import('../pipeline/build-run'),
        import('../registry/open-registry'),
      ]);
      const signKey = signKeyOf(options, options.push, '--push');
      const modules = await moduleAccessOf(options, process.env);
      const engines = parseEngineChoice(options.engine);
      const remote = options.push ? await openRegistry(options.push) : undefined;
      const { view, logger } = viewAndLogger(globals);
      const session = await commandSession(cmd, logger);
      const targets = options.all ? session.targets : selectTargets(session.targets, names);
      const baked = await runBuild(session, targets, {
        engines,
        concurrency: options.concurrency,
        tagPrefix: options.tagPrefix,
        reportDir: options.report ?? join(session.stateDir, 'reports'),
        force: options.force || !options.cache,
        noCache: !options.cache,
        buildkit: buildkitRequest(options),
        remote,
        signKey,
        modules,
        onProgress: (label, event) => view.update(label, event),
      }).finally(() => view.close());
      const results = baked.map((b) => b.result);
      const code = runExitCode(results);
      // In a terminal the table is the last thing shown (an error line excepted): the counts come first.
      if (code === ExitCode.Ok) logger.info(resultsLine(results));
      if (options.json) printJson(results);
      else printOut(`${formatResults(results)}\n`);
      if (code !== ExitCode.Ok) throw new BakeError(resultsLine(results), code);
    },
  );
}
