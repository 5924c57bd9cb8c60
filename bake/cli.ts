import { Command, CommanderError } from 'commander';
import { BakeError, ExitCode, errorMessage, exitCodeOf } from './common/errors';
import { addGlobalOptions } from './cli/global-options';
import { bakeVersion } from './common/package-root';
import { redact } from './common/redact';
import { assertNoEnvUrlCredentials } from './common/url-credentials';
import { amiCommand } from './cli/ami-command';
import { baseCommand } from './cli/base-command';
import { buildCommand } from './cli/build-command';
import { doctorCommand } from './cli/doctor-command';
import { driftCommand } from './cli/drift-command';
import { goCommand } from './cli/go-command';
import { listCommand } from './cli/list-command';
import { nightlyCommand } from './cli/nightly-command';
import { outdatedCommand } from './cli/outdated-command';
import { planCommand } from './cli/plan-command';
import { recipeCommand } from './cli/recipe-command';
import { registryCommand } from './cli/registry-command';
import { renderCommand } from './cli/render-command';
import { sbomCommand } from './cli/sbom-command';
import { verifyCommand } from './cli/verify-command';

/** The CLI only parses arguments and calls the stages; every command lives in bake/cli/. */
export function buildProgram(): Command {
  const program = new Command('bake')
    .description(
      'Bake vetted golden images (OCI and AMI) with a production-ready Go toolchain from declarative recipes',
    )
    .version(bakeVersion())
    .showHelpAfterError('(run with --help for usage)')
    // Commander echoes arguments in its own errors; subcommands inherit this (set before they exist).
    .configureOutput({ writeErr: (text) => process.stderr.write(redact(text)) })
    .exitOverride();
  addGlobalOptions(program);
  // URL variables are read deep in the stages; refuse credentials in them before any command runs.
  program.hook('preAction', () => assertNoEnvUrlCredentials(process.env));
  for (const register of [
    listCommand,
    planCommand,
    renderCommand,
    buildCommand,
    verifyCommand,
    driftCommand,
    sbomCommand,
    amiCommand,
    nightlyCommand,
    outdatedCommand,
    registryCommand,
    baseCommand,
    doctorCommand,
    goCommand,
    recipeCommand,
  ])
    register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (err) {
    return reportError(err, argv.includes('--debug'));
  }
}

/**
 * One clear line per error (plus a hint); the stack only with --debug. Everything is redacted:
 * error messages quote URLs, and a stack repeats the message.
 */
export function reportError(
  err: unknown,
  debug: boolean,
  stream: Pick<NodeJS.WritableStream, 'write'> = process.stderr,
): number {
  const write = (text: string) => stream.write(redact(text));
  if (err instanceof CommanderError) {
    // Commander already printed the message (or the help/version output).
    return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (err instanceof BakeError) {
    write(`bake: ${err.message}\n`);
    if (err.hint) write(`hint: ${err.hint}\n`);
    if (debug && err.stack) write(`${err.stack}\n`);
  } else {
    write(`bake: internal error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) write(`${err.stack}\n`);
    else write('(run again with --debug for the stack trace)\n');
  }
  return exitCodeOf(err);
}
