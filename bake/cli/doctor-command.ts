import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';
import { defaultStateDir } from '../common/paths';
import { ENGINE_FLAG, ENGINE_HELP, type EngineFlags } from './engine-options';
import type { GlobalOptions } from './global-options';
import { printJson, printOut } from './output';
import { commandLogger } from './progress-output';

interface DoctorOptions extends EngineFlags {
  start: boolean;
  json: boolean;
}

export function doctorCommand(program: Command): Command {
  const command = program
    .command('doctor')
    .description(
      'check this host for building: engine, BuildKit, arm64 emulation, disk, bootstrap tools; ' +
        'each missing item with its fix',
    )
    .option('--start', "start bake's own engine when none answers (as a build would)", false)
    .option('--json', 'machine-readable output', false);
  return command.option(ENGINE_FLAG, ENGINE_HELP).action(async (options: DoctorOptions, cmd: Command) => {
    const [{ doctor }, { formatDoctorReport }] = await Promise.all([
      import('../engine/daemon/doctor'),
      import('../engine/daemon/doctor-table'),
    ]);
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const report = await doctor({
      stateDir: globals.stateDir ?? defaultStateDir(),
      logger: commandLogger(globals),
      endpoint: options.engine,
      allowStart: options.start,
    });
    if (options.json) printJson(report);
    else printOut(formatDoctorReport(report));
    if (!report.ok)
      throw new BakeError('this host is not ready to build (see the items marked missing)', ExitCode.Unavailable);
  });
}
