import type { Command } from 'commander';
import { BakeError, ExitCode } from '../common/errors';

export interface SignFlags {
  signKey?: string;
}

/** `--sign-key FILE` (env BAKE_SIGN_KEY): the cosign key that signs what is pushed. */
export function addSignOptions(command: Command): Command {
  return command.option(
    '--sign-key <file>',
    'sign every pushed image, multi-arch index and catalog document with this cosign key and attach SBOM, ' +
      'provenance and readiness attestations (password in COSIGN_PASSWORD); env BAKE_SIGN_KEY',
  );
}

/** The key to sign with: the flag, else BAKE_SIGN_KEY; only meaningful when something is pushed. */
export function signKeyOf(
  flags: SignFlags,
  pushedTo: string | undefined,
  flag: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const key = flags.signKey ?? (env.BAKE_SIGN_KEY || undefined);
  if (key && !pushedTo && flags.signKey)
    throw new BakeError(`--sign-key signs what is pushed; add ${flag} REGISTRY/PREFIX`, ExitCode.Usage);
  return pushedTo ? key : undefined;
}
