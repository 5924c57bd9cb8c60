import { randomBytes } from 'node:crypto';
import { BakeError, ExitCode } from '../common/errors';
import type { Logger } from '../common/log';
import type { PlanContext } from '../plan/types';
import { withAmi } from '../registry/catalog-entry';
import type { CatalogStore } from '../registry/types';
import { updateCatalog } from '../registry/update-catalog';
import type { Target } from '../recipe/types';
import { buildAmi, type AmiBuildInput } from '../vm/ec2/ami-build';
import type { AmiBuildResult, RetentionResult } from '../vm/ec2/types';
import { applyRetention } from '../vm/ec2/ami-retention';
import { catalogAmi } from '../vm/catalog-ami';
import type { Ec2Api } from '../vm/ec2/ec2-api';
import type { AmiRecord } from '../vm/types';
import { planVmBuild, type VmBuildPlan } from '../vm/vm-build-plan';

export interface AmiPlanOptions {
  /** Where builders download the verified Go archive; default: where it was verified from. */
  goUrl?: string;
  /** The flag that sets a download URL, for the message when there is none. */
  goUrlFlag: string;
  ec2Endpoint?: string;
}

/** The provisioning script of a target's AMI; refused when builders could not download its Go. */
export async function planTargetAmi(ctx: PlanContext, target: Target, options: AmiPlanOptions): Promise<VmBuildPlan> {
  const vm = await planVmBuild(ctx, target, { goUrl: options.goUrl, ec2Endpoint: options.ec2Endpoint });
  const { go } = vm.planned.plan;
  const hostChecks = (target.checks.custom ?? []).filter((c) => c.kinds?.includes('vm')).map((c) => c.id);
  if (hostChecks.length)
    ctx.logger.warn(
      `${target.name}: the builder's own suite runs bake's host checks only; the recipe's checks for vm ` +
        `(${hostChecks.join(', ')}) run through \`bake ami ${target.name} --verify-host\` over SSH`,
    );
  if (!vm.goUrl) {
    throw new BakeError(
      `builders of ${target.name} have no way to get ${go.filename} (it came from ${go.source}, not a URL); ` +
        `pass ${options.goUrlFlag} with where builders can download it`,
      ExitCode.Usage,
    );
  }
  return vm;
}

export type AmiBuildOptions = Omit<AmiBuildInput, 'plan' | 'userData' | 'runId' | 'now'>;

/** The one AMI bake of `bake ami` and `bake nightly --with-ami`: build the image from the plan and judge it. */
export async function buildTargetAmi(vm: VmBuildPlan, options: AmiBuildOptions): Promise<AmiBuildResult> {
  return buildAmi({
    ...options,
    plan: vm.planned.plan,
    userData: vm.userData,
    runId: randomBytes(6).toString('hex'),
    now: () => new Date(),
  });
}

export interface RecordAmiInput {
  record: AmiRecord;
  catalogs: CatalogStore[];
  /** Deregister older AMIs of the target beyond the newest N first. */
  keep?: number;
  ec2: Ec2Api;
  lockDir: string;
  now: Date;
  logger: Logger;
}

/** After a vetted AMI: retention, then the record in every catalog (without what retention deregistered). */
export async function recordAmi(input: RecordAmiInput): Promise<RetentionResult | undefined> {
  const { record, logger } = input;
  const retention =
    input.keep !== undefined ? await applyRetention(input.ec2, record.target, input.keep, logger) : undefined;
  const deregistered = retention?.deleted.map((d) => d.amiId) ?? [];
  for (const store of input.catalogs) {
    await updateCatalog(store, record.target, (c) => withAmi(c, catalogAmi(record), deregistered), {
      lockDir: input.lockDir,
      logger,
      now: input.now,
    });
    logger.info(`${record.target}: ${record.amiId} recorded in the catalog ${store.location}`);
  }
  return retention;
}
