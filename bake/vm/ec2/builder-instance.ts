import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Ec2Api } from './ec2-api';
import { pollUntil } from './poll';
import type { AmiTimeouts } from '../types';

/** Stops the builder so its disks are consistent when imaged (as Packer does for EBS images). */
export async function stopBuilder(
  ec2: Ec2Api,
  instanceId: string,
  timeouts: AmiTimeouts,
  signal?: AbortSignal,
): Promise<void> {
  await ec2.stopInstance(instanceId);
  await pollUntil(
    `builder ${instanceId} to stop`,
    async () => ((await ec2.describeInstance(instanceId))?.state === 'stopped' ? true : undefined),
    {
      timeoutMs: timeouts.stateMs,
      intervalMs: timeouts.pollMs,
      signal,
    },
  );
}

/**
 * Terminates the builder and waits until EC2 says so. It runs on every way out (success,
 * failure, interrupt), so it takes no abort signal; it returns the error instead of throwing,
 * and the caller decides whether a leftover builder is the run's main failure.
 */
export async function terminateBuilder(
  ec2: Ec2Api,
  instanceId: string,
  timeouts: AmiTimeouts,
  logger: Logger,
): Promise<Error | undefined> {
  try {
    await ec2.terminateInstance(instanceId);
    await pollUntil(
      `builder ${instanceId} to terminate`,
      async () => ((await ec2.describeInstance(instanceId))?.state ?? 'terminated') === 'terminated' || undefined,
      {
        timeoutMs: timeouts.stateMs,
        intervalMs: timeouts.pollMs,
      },
    );
    logger.info(`builder ${instanceId} terminated`);
    return undefined;
  } catch (err) {
    logger.warn(`builder ${instanceId} may still be running (${errorMessage(err)}); terminate it by hand`);
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Deletes the builder's own security group once nothing uses it (EC2 refuses while the instance exists). */
export async function deleteBuilderGroup(
  ec2: Ec2Api,
  groupId: string,
  timeouts: AmiTimeouts,
  logger: Logger,
): Promise<void> {
  await pollUntil(
    `security group ${groupId} to be free`,
    async () => {
      try {
        await ec2.deleteSecurityGroup(groupId);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'DependencyViolation') return undefined;
        throw err;
      }
    },
    { timeoutMs: timeouts.stateMs, intervalMs: timeouts.pollMs },
  ).catch((err: unknown) =>
    logger.warn(`security group ${groupId} is left behind (${errorMessage(err)}); delete it by hand`),
  );
}
