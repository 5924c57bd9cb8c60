import { availableParallelism } from 'node:os';
import { BakeError, ExitCode } from '../common/errors';

export interface EngineFlags {
  engine?: string;
}

export const ENGINE_FLAG = '--engine <endpoint>';
export const ENGINE_HELP =
  'Docker Engine endpoint (unix:///path, tcp://host:port, ssh://user@host); default DOCKER_HOST, else the local socket, else an engine bake starts';

/** Builds share two cores well; more than four at once mostly contend for disk and network. */
export function defaultConcurrency(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new BakeError(`--concurrency: expected a whole number of 1 or more, got "${value}"`, ExitCode.Usage);
  return n;
}
