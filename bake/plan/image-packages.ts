import type { Family, ImageKind, Target } from '../recipe/types';

/** What every runtime image of a family gets (and every toolchain image, whatever the recipe lists). */
export const RUNTIME_PACKAGES: Record<Family, readonly string[]> = {
  debian: ['ca-certificates', 'tzdata'],
  rhel: ['ca-certificates', 'tzdata'],
};

/** What each image kind installs: the toolchain the recipe's packages and the runtime's, the runtime its own. */
export function imagePackages(target: Target): Record<ImageKind, string[]> {
  const runtime = RUNTIME_PACKAGES[target.family];
  return { toolchain: [...new Set([...target.packages, ...runtime])], runtime: [...runtime] };
}
