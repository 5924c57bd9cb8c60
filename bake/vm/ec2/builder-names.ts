import { BakeError, ExitCode } from '../../common/errors';
import type { Target } from '../../recipe/types';
import { amiName as validAmiName, iamName, ssmParameterName } from './aws-names';

/**
 * The builder's role, instance profile and security group of a target share this name, so it
 * must be a valid IAM role name (the strictest of the three: 64 of `[\w+=,.@-]`).
 */
export function builderName(target: Pick<Target, 'name'>): string {
  return iamName('builder role name', `bake-builder-${target.name}`, 64);
}

/** Where consumers read the newest vetted AMI of a target (SSM Parameter Store). */
export function vettedAmiParameter(target: Pick<Target, 'name'>): string {
  return ssmParameterName(`/bake/${target.name}/ami-id`);
}

/** The CDKTF stack of a target, and its directory under `<out>/stacks/`: one plain path segment. */
export function stackName(target: Pick<Target, 'name'>): string {
  const name = `bake-${target.name}`;
  if (!/^[A-Za-z0-9_-]+$/.test(name))
    throw new BakeError(
      `stack name ${JSON.stringify(name)} is not one plain directory name (letters, digits, _ and -)`,
      ExitCode.InvalidRecipe,
    );
  return name;
}

/** `bake-debian12-amd64-go1.22.12-20250101T120000Z`: sorted by time, unique per second and target. */
export function amiName(target: Pick<Target, 'name'>, goVersion: string, at: Date): string {
  return validAmiName(
    `bake-${target.name}-go${goVersion}-${at
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`,
  );
}
