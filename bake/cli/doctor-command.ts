import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { createLogger } from '../common/log';
import { defaultStateDir } from '../common/paths';
import { doctor } from '../engine/doctor';
import { formatDoctorReport } from '../engine/doctor-table';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import type { GlobalOptions } from './global-options';
import { printJson, printOut } from './output';

interface DoctorOptions extends EngineFlags {
  start: boolean;
  json: boolean;
}

export function doctorCommand(program: Command): Command {
  const command = program
    .command('doctor')
    .description('check this host for building: engine, BuildKit, arm64 emulation, disk, bootstrap tools; each missing item with its fix')
    .option('--start', "start bake's own engine when none answers (as a build would)", false)
    .option('--json', 'machine-readable output', false);
  return command.option(ENGINE_FLAG, ENGINE_HELP).action(async (options: DoctorOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const logger = createLogger({ debug: globals.debug, quiet: globals.quiet });
    const report = await doctor({ stateDir: globals.stateDir ?? defaultStateDir(), logger, endpoint: options.engine, allowStart: options.start });
    if (options.json) printJson(report);
    else printOut(formatDoctorReport(report));
    if (!report.ok) throw new BakeError('this host is not ready to build (see the items marked missing)', ExitCode.Unavailable);
  });
}
