import { BakeError, ExitCode } from '../common/errors';

/** One word of a fixed vocabulary (an image kind, an architecture) named by a flag or a label; `where` says which. */
export function parseWord<T extends string>(value: string, words: readonly T[], noun: string, where: string): T {
  if (!(words as readonly string[]).includes(value))
    throw new BakeError(`${where}: unknown ${noun} "${value}" (expected ${words.join(', ')})`, ExitCode.Usage);
  return value as T;
}
