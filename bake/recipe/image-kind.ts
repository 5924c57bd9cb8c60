import { BakeError, ExitCode } from '../common/errors';
import type { ImageKind } from './types';
import { IMAGE_KINDS } from './vocabulary';

/** An image kind named by a flag or a label; `where` says which, for the message. */
export function parseImageKind(value: string, where: string): ImageKind {
  if (!(IMAGE_KINDS as readonly string[]).includes(value))
    throw new BakeError(`${where}: unknown image kind "${value}" (expected ${IMAGE_KINDS.join(', ')})`, ExitCode.Usage);
  return value as ImageKind;
}
