import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { connectEngine } from '../engine/embedded-engine';
import { planTarget } from '../render/plan-target';
import { abortOnSignals } from '../pipeline/interrupts';
import { removeReadinessContainers } from '../readiness/drivers/leftover-containers';
import { writeReport } from '../readiness/report-files';
import { summaryTable } from '../readiness/summary-table';
import { verifyImage } from '../readiness/verify-image';
import type { ImageKind } from '../recipe/types';
import { IMAGE_KINDS } from '../recipe/vocabulary';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import type { GlobalOptions } from './global-options';
import { printJson } from './output';
import { openSession } from './session';

interface VerifyOptions extends EngineFlags {
  target: string;
  kind?: ImageKind;
  report?: string;
  json: boolean;
}

export function verifyCommand(program: Command): Command {
  const command = program
    .command('verify')
    .description("run a target's readiness suite against any image (one bake did not build, too) and report what fails and why")
    .argument('<image>', 'image reference or id in the engine')
    .requiredOption('--target <name>', 'the target whose plan the image must meet, e.g. debian12-amd64')
    .option('--kind <kind>', `image kind (${IMAGE_KINDS.join(', ')}); default: the image's io.bake.kind label, else toolchain`, parseKind)
    .option('--report <dir>', 'where report.json and junit.xml go; default STATE/reports/verify/<target>/<kind>')
    .option('--json', 'print the report as JSON on stdout', false);
  return command.option(ENGINE_FLAG, ENGINE_HELP).action(async (image: string, options: VerifyOptions, cmd: Command) => {
    const session = await openSession(cmd.optsWithGlobals<GlobalOptions>());
    const target = session.targets.find((t) => t.name === options.target);
    if (!target) throw new BakeError(`--target: unknown target "${options.target}"; known: ${session.targets.map((t) => t.name).join(', ')}`, ExitCode.Usage);
    const engine = await connectEngine({ stateDir: session.stateDir, logger: session.logger, endpoint: options.engine });
    const details = await engine.inspectImage(image);
    if (!details) throw new BakeError(`image ${image} is not in the engine at ${engine.endpoint}`, ExitCode.Usage, 'pull or build it first');
    const kind = options.kind ?? parseKind(details.labels['io.bake.kind'] ?? 'toolchain');
    const planned = await planTarget(session, target);
    const runId = randomBytes(6).toString('hex');
    const controller = new AbortController();
    const removeHandlers = abortOnSignals(controller, session.logger);
    controller.signal.addEventListener('abort', () => void removeReadinessContainers(engine.docker, runId).catch(() => undefined), { once: true });
    let report;
    try {
      report = await verifyImage({ docker: engine.docker, image, kind, plan: planned.plan, goArchivePath: planned.dist.path, runId, logger: session.logger });
    } finally {
      removeHandlers();
      await removeReadinessContainers(engine.docker, runId).catch(() => undefined);
    }
    if (controller.signal.aborted) throw new BakeError(`verifying ${image} interrupted`, ExitCode.Interrupted);
    const files = await writeReport(options.report ?? join(session.stateDir, 'reports', 'verify', target.name, kind), report);
    if (options.json) printJson(report);
    else process.stdout.write(`${summaryTable(report)}\n`);
    session.logger.info(`report: ${files.json} (JUnit XML: ${files.junit})`);
    if (!report.passed) {
      const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id);
      throw new BakeError(`${image} fails ${failed.length} readiness check${failed.length === 1 ? '' : 's'} of ${target.name}: ${failed.join(', ')}`, ExitCode.CheckFailed);
    }
  });
}

function parseKind(value: string): ImageKind {
  if (!(IMAGE_KINDS as readonly string[]).includes(value)) throw new BakeError(`--kind: unknown image kind "${value}" (expected ${IMAGE_KINDS.join(', ')})`, ExitCode.Usage);
  return value as ImageKind;
}
