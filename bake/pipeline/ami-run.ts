import { join } from 'node:path';
import { planTarget } from '../render/plan-target';
import { writeReport, type ReportFiles } from '../readiness/report-files';
import type { Report } from '../readiness/types';
import type { Target } from '../recipe/types';
import type { CatalogStore } from '../registry/types';
import { writeAmiFiles, type AmiFiles } from '../vm/ami-files';
import type { AmiBuildResult, RetentionResult } from '../vm/ec2/types';
import { Ec2Sdk } from '../vm/ec2/ec2-sdk';
import { SshDriver } from '../vm/host/ssh-driver';
import { synthStacks, type SynthesizedStack } from '../vm/synth';
import { verifyHost } from '../vm/host/verify-host';
import { planVmBuild } from '../vm/vm-build-plan';
import { withInterrupts } from './interrupts';
import type { Session } from './session';
import { buildTargetAmi, planTargetAmi, recordAmi, type AmiBuildOptions } from './target-ami';

/** Stopping, imaging, copying and terminating take minutes on EC2; a quarter hour is a stuck call. */
const STATE_CHANGE_MS = 15 * 60_000;

export interface AmiRunInput extends Pick<
  AmiBuildOptions,
  'sourceAmi' | 'instanceProfile' | 'securityGroupId' | 'subnetId' | 'copyTo'
> {
  session: Session;
  target: Target;
  region?: string;
  goUrl?: string;
  ec2Endpoint?: string;
  timeouts: { provisionMs: number; consoleMs: number; pollMs: number };
  /** Default: STATE/ami/<target>. */
  out?: string;
  keep?: number;
  /** Catalogs the vetted AMI is recorded in besides this machine's. */
  catalogs: CatalogStore[];
}

export type AmiRun = AmiBuildResult & { files: AmiFiles; retention?: RetentionResult };

/**
 * `bake ami`: bake the AMI under an interrupt handler (the builder is terminated however it
 * ends), write the user data and the report, and only for a vetted image apply retention and
 * record it in the catalogs.
 */
export async function runAmi(input: AmiRunInput): Promise<AmiRun> {
  const { session, target } = input;
  const vm = await planTargetAmi(session, target, {
    goUrl: input.goUrl,
    goUrlFlag: '--go-url',
    ec2Endpoint: input.ec2Endpoint,
  });
  const ec2 = await Ec2Sdk.connect({ region: input.region, endpoint: input.ec2Endpoint });
  const built = await withInterrupts({ logger: session.logger }, (signal) =>
    buildTargetAmi(vm, {
      ec2,
      regionApi: (region) => ec2.inRegion(region),
      sourceAmi: input.sourceAmi,
      instanceProfile: input.instanceProfile,
      securityGroupId: input.securityGroupId,
      subnetId: input.subnetId,
      copyTo: input.copyTo,
      timeouts: { ...input.timeouts, stateMs: STATE_CHANGE_MS },
      logger: session.logger,
      signal,
    }),
  );
  const files = await writeAmiFiles(input.out ?? join(session.stateDir, 'ami', target.name), {
    script: vm.script,
    report: built.report,
    record: built.status === 'vetted' ? built.record : undefined,
  });
  if (built.status !== 'vetted') return { ...built, files };
  const retention = await recordAmi({
    record: built.record,
    catalogs: input.catalogs,
    keep: input.keep,
    ec2,
    lockDir: join(session.stateDir, 'locks'),
    now: new Date(),
    logger: session.logger,
  });
  return { ...built, files, ...(retention ? { retention } : {}) };
}

/** `bake ami --synth`: the CDKTF stack and the user data of a target, for review; no AWS call. */
export async function synthAmi(input: {
  session: Session;
  target: Target;
  out: string;
  region?: string;
  goUrl?: string;
  ec2Endpoint?: string;
}): Promise<SynthesizedStack> {
  const vm = await planVmBuild(input.session, input.target, { goUrl: input.goUrl, ec2Endpoint: input.ec2Endpoint });
  const [stack] = await synthStacks(input.out, [
    {
      target: input.target,
      userData: vm.userData,
      goVersion: vm.planned.plan.go.version,
      region: input.region,
      script: vm.script,
    },
  ]);
  return stack;
}

/** `bake ami --verify-host`: the target's host readiness suite over ssh on a running host, its report written. */
export async function verifyHostRun(input: {
  session: Session;
  target: Target;
  host: string;
  sshOptions: string[];
  out?: string;
}): Promise<{ report: Report; files: ReportFiles }> {
  const { session, target } = input;
  const planned = await planTarget(session, target);
  const host = new SshDriver(input.host, { sshOptions: input.sshOptions.flatMap((o) => ['-o', o]) });
  const report = await verifyHost({
    host,
    ref: input.host,
    plan: planned.plan,
    goArchivePath: planned.dist.path,
    now: session.now,
    logger: session.logger,
  });
  const files = await writeReport(input.out ?? join(session.stateDir, 'reports', 'hosts', target.name), report);
  return { report, files };
}
