import type { Logger } from '../../common/log';
import type { Plan } from '../../plan/types';
import { selectChecks } from '../../readiness/default-checks';
import { buildExpectations } from '../../readiness/expectations';
import { runSuite } from '../../readiness/suite';
import type { Driver, Report } from '../../readiness/types';
import { serviceEnvDriver } from './service-env-driver';
import { VM_SUITE } from '../checks/vm-checks';

export interface VerifyHostInput {
  /** How the host is reached: SSH, or a container playing the host in tests. */
  host: Driver;
  /** What the report calls the host: an instance id, user@host. */
  ref: string;
  plan: Plan;
  /** The verified Go archive, for the go binary's expected hash. */
  goArchivePath: string;
  /** The day the recipe's waivers are judged on. */
  now: Date;
  logger: Logger;
}

/**
 * Runs the readiness suite of a VM template (kind "vm", as the recipe adjusts it, its custom
 * checks for `vm` included) on a host.
 */
export async function verifyHost(input: VerifyHostInput): Promise<Report> {
  const { plan, logger } = input;
  const { checks, skipped } = selectChecks(VM_SUITE, 'vm', plan.target.checks, plan.target.recipe);
  const expect = await buildExpectations(plan, 'vm', input.goArchivePath);
  const driver = await serviceEnvDriver(input.host);
  const artifact = { kind: 'vm' as const, ref: input.ref, id: input.ref, platform: `linux/${plan.target.arch}` };
  const waivers = { waivers: plan.target.checks.waive ?? [], today: input.now };
  return runSuite({ checks, skipped, driver, expect, logger, artifact, waivers });
}
