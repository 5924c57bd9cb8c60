import type { Target } from '../recipe/types';

/** The builder's role, instance profile and security group of a target share this name. */
export function builderName(target: Pick<Target, 'name'>): string {
  return `bake-builder-${target.name}`;
}

/** Where consumers read the newest vetted AMI of a target (SSM Parameter Store). */
export function vettedAmiParameter(target: Pick<Target, 'name'>): string {
  return `/bake/${target.name}/ami-id`;
}

/** The CDKTF stack of a target, and its directory under `<out>/stacks/`. */
export function stackName(target: Pick<Target, 'name'>): string {
  return `bake-${target.name}`;
}

/** `bake-debian12-amd64-go1.22.12-20250101T120000Z`: sorted by time, unique per second and target. */
export function amiName(target: Pick<Target, 'name'>, goVersion: string, at: Date): string {
  return `bake-${target.name}-go${goVersion}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
