import type { CachedGoDistribution } from '../types';
import type { Readable } from 'node:stream';

/**
 * Reads files of an offline mirror, wherever it is. `undefined` means the mirror is reachable
 * but lacks the file; an unreachable mirror throws SourceUnavailableError.
 */
export interface MirrorReader {
  /** The file's full path or URL, for messages. */
  where(name: string): string;
  readSmall(name: string): Promise<Uint8Array | undefined>;
  stream(name: string): Promise<Readable | undefined>;
}

export interface WriteGoMirrorResult {
  /** Every file of the mirror bake manages: the archives, index.json, SHA256SUMS. */
  files: string[];
  /** Those whose bytes this run changed (empty when the mirror was up to date). */
  changed: string[];
  distributions: CachedGoDistribution[];
  /** Set when SHA256SUMS.asc is missing (or was removed as stale): how the site signs it. */
  signCommand?: string;
}
