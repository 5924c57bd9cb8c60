import { BakeError, ExitCode } from '../common/errors';
import type { TargetCatalog } from './types';

/** A catalog document read back; anything else is reported with where it came from. */
export function parseTargetCatalog(text: string, where: string): TargetCatalog {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BakeError(`catalog ${where} is not valid JSON`, ExitCode.Failure);
  }
  const doc = value as Partial<TargetCatalog>;
  if (doc?.schema !== 'bake.catalog/v1' || typeof doc.target !== 'string' || !Array.isArray(doc.images)) {
    throw new BakeError(`catalog ${where} is not a bake.catalog/v1 document`, ExitCode.Failure);
  }
  return doc as TargetCatalog;
}
