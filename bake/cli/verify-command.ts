import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { urlOption } from '../common/url-credentials';
import { summaryTable } from '../readiness/summary-table';
import { parseWord } from '../recipe/vocabulary-word';
import type { ImageKind } from '../recipe/types';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import { commandSession } from './command-session';
import { printJson, printOut } from './output';

interface VerifyOptions extends EngineFlags {
  target: string;
  registry?: string;
  kind?: ImageKind;
  report?: string;
  json: boolean;
}

export function verifyCommand(program: Command): Command {
  const command = program
    .command('verify')
    .description(
      "run a target's readiness suite against any image (one bake did not build, too) and report what fails and why",
    )
    .argument('<image>', 'image reference or id in the engine')
    .requiredOption('--target <name>', 'the target whose plan the image must meet, e.g. debian12-amd64')
    .option(
      '--kind <kind>',
      `image kind (${IMAGE_KINDS.join(', ')}); default: the image's io.bake.kind label, else toolchain`,
      (v: string) => parseWord(v, IMAGE_KINDS, 'image kind', '--kind'),
    )
    .option('--report <dir>', 'where report.json and junit.xml go; default STATE/reports/verify/<target>/<kind>')
    .option(
      '--registry <registry/prefix>',
      "also refuse the image when this registry's catalog revoked it (this machine's catalog is always asked)",
      urlOption('--registry', { bareHost: true }),
    )
    .option('--json', 'print the report as JSON on stdout', false);
  return command
    .option(ENGINE_FLAG, ENGINE_HELP)
    .action(async (image: string, options: VerifyOptions, cmd: Command) => {
      const [{ runVerify }, { localCatalog, openRegistry }] = await Promise.all([
        import('../pipeline/verify-run'),
        import('../registry/open-registry'),
      ]);
      const session = await commandSession(cmd);
      const target = session.targets.find((t) => t.name === options.target);
      if (!target)
        throw new BakeError(
          `--target: unknown target "${options.target}"; known: ${session.targets.map((t) => t.name).join(', ')}`,
          ExitCode.Usage,
        );
      const { report, files } = await runVerify({
        session,
        target,
        image,
        kind: options.kind,
        engine: options.engine,
        reportDir: options.report,
        catalogs: [
          localCatalog(session.stateDir),
          ...(options.registry ? [(await openRegistry(options.registry)).catalog] : []),
        ],
      });
      if (options.json) printJson(report);
      else printOut(`${summaryTable(report)}\n`);
      session.logger.info(`report: ${files.json} (JUnit XML: ${files.junit})`);
      if (!report.passed) {
        const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id);
        throw new BakeError(
          `${image} fails ${failed.length} readiness check${failed.length === 1 ? '' : 's'} ` +
            `of ${target.name}: ${failed.join(', ')}`,
          ExitCode.CheckFailed,
        );
      }
    });
}
