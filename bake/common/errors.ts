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

/**
 * The exit code an error stands for: a BakeError's own, else `otherwise` (a plain failure).
 * Once `signal` is aborted, whatever broke (a removed container, a cancelled stream) is the interrupt.
 */
export function exitCodeOf(err: unknown, context: { signal?: AbortSignal; otherwise?: number } = {}): number {
  if (context.signal?.aborted) return ExitCode.Interrupted;
  return err instanceof BakeError ? err.exitCode : (context.otherwise ?? ExitCode.Failure);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
