import { BakeError, ExitCode } from '../common/errors';

/**
 * A Go source could not be reached (network, missing mirror directory, archive down).
 * Distinct from a verification failure: the resolver may fall back to the next allowed
 * source on this error, never on an untrusted one.
 */
export class SourceUnavailableError extends BakeError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Unavailable, hint);
    this.name = 'SourceUnavailableError';
  }
}
