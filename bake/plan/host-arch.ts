import { arch as nodeArch } from 'node:os';
import type { Arch } from '../recipe/types';

/** This machine's architecture as a Go arch name; undefined on one bake does not build for. */
export function hostArch(): Arch | undefined {
  const a = nodeArch();
  return a === 'x64' ? 'amd64' : a === 'arm64' ? 'arm64' : undefined;
}
