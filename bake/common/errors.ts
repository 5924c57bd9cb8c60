/**
 * A failure the user can act on: printed as one line (no stack trace unless --debug)
 * and mapped to a process exit code.
 */
export class BakeError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'BakeError';
  }
}

/** Exit codes are part of the CLI contract: CI tells outcomes apart by them. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  InvalidRecipe: 3,
  Untrusted: 4,
  CheckFailed: 5,
  Unavailable: 6,
  EngineUnavailable: 7,
  Locked: 8,
  /** `bake outdated`: a vetted image is behind today's inputs. */
  Outdated: 9,
  Interrupted: 130,
} as const;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
