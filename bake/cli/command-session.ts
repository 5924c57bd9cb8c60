import type { Command } from 'commander';
import type { Logger } from '../common/log';
import type { Session } from '../pipeline/session';
import type { GlobalOptions } from './global-options';
import { commandLogger } from './progress-output';

/**
 * The session of a command from the global options. The recipe loader comes in only here, when
 * a command runs, so `bake --help` and `bake --version` load none of the stages.
 */
export async function commandSession(command: Command, logger?: Logger): Promise<Session> {
  const { openSession } = await import('../pipeline/session');
  const globals = command.optsWithGlobals<GlobalOptions>();
  return openSession(globals, logger ?? commandLogger(globals));
}
