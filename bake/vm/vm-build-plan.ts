import { goBinarySha256 } from '../readiness/go-binary-hash';
import { planTarget } from '../render/plan-target';
import type { PlanContext } from '../plan/types';
import type { PlannedTarget } from '../render/types';
import type { Target } from '../recipe/types';
import { goArchiveUrl } from './provision/go-url';
import { renderProvisionScript } from './provision/provision-script';
import { encodeUserData } from './ec2/user-data';
import type { UserData } from './ec2/types';

export interface VmBuildPlan {
  planned: PlannedTarget;
  /** The provisioning script (what a reviewer reads). */
  script: string;
  /** The same script as EC2 takes it. */
  userData: UserData;
  /** Where builders download Go from; absent when they cannot (the script then needs the archive on the host). */
  goUrl?: string;
}

/** A target's plan, and the provisioning script rendered from it. */
export async function planVmBuild(
  ctx: PlanContext,
  target: Target,
  options: { goUrl?: string; ec2Endpoint?: string },
): Promise<VmBuildPlan> {
  const planned = await planTarget(ctx, target);
  const goUrl = goArchiveUrl(planned.dist, options.goUrl);
  const script = renderProvisionScript({
    target,
    env: planned.plan.env,
    go: planned.plan.go,
    goBinarySha256: await goBinarySha256(planned.dist.path),
    goUrl,
    ec2Endpoint: options.ec2Endpoint,
  });
  return { planned, script, userData: encodeUserData(script), goUrl };
}
