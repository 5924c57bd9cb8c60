import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Plan } from '../../plan/types';
import type { Report } from '../../readiness/types';
import { awsTags, ec2Description, iamName, securityGroupName } from './aws-names';
import { TAG } from './bake-tags';
import { deleteBuilderGroup, stopBuilder, terminateBuilder } from './builder-instance';
import { builderName } from './builder-names';
import { waitForVerdict } from './builder-verdict';
import type { AmiBuildResult, BuilderVerdict, Ec2Instance, LaunchRequest, UserData } from './types';
import { Ec2Error, type Ec2Api } from './ec2-api';
import { hostReport, verdictReport } from './host-result';
import { copyImage } from './image-copies';
import { resolveSourceAmi } from './source-ami';
import type { AmiRecord, AmiTimeouts } from '../types';
import { createVettedImage, discardImage } from './vetted-image';

export interface AmiBuildInput {
  ec2: Ec2Api;
  /** The EC2 API of another region, for copies. */
  regionApi: (region: string) => Ec2Api;
  plan: Plan;
  userData: UserData;
  /** Start from this image instead of the recipe's lookup (private images, test endpoints). */
  sourceAmi?: string;
  /** The builder's role (it may tag itself with the verdict); the stack's name by default. */
  instanceProfile?: string;
  /** Use this security group instead of a temporary one with no inbound rule. */
  securityGroupId?: string;
  subnetId?: string;
  copyTo: string[];
  timeouts: AmiTimeouts;
  runId: string;
  now: () => Date;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * One Packer-style bake of a target's AMI: launch a builder from the source image with the
 * provisioning script as user data, wait (bounded) for its readiness verdict, and only on a
 * pass stop it, image it, tag the image as vetted and copy it. The builder is terminated (and
 * its temporary security group deleted) on every way out: pass, fail, error or interrupt.
 */
export async function buildAmi(input: AmiBuildInput): Promise<AmiBuildResult> {
  const { ec2, plan, logger } = input;
  const { target } = plan;
  const source = await resolveSourceAmi(ec2, target, input.sourceAmi);
  logger.info(`${target.name}: source AMI ${source.imageId} (${source.name}) in ${ec2.region}`);
  const marks = awsTags({ [TAG.managed]: 'true', [TAG.target]: target.name, [TAG.runId]: input.runId });
  const groupName = securityGroupName(`${builderName(target)}-${input.runId}`);
  const groupId =
    input.securityGroupId ??
    (await ec2.createSecurityGroup(
      groupName,
      ec2Description(`bake builder of ${target.name}: no inbound access`),
      marks,
    ));
  try {
    const builder = await launchBuilder(ec2, {
      imageId: source.imageId,
      instanceType: target.vm.instanceType,
      userDataBase64: input.userData.base64,
      instanceProfile: iamName('instance profile name', input.instanceProfile ?? builderName(target), 128),
      securityGroupIds: [groupId],
      subnetId: input.subnetId,
      rootDevice: source.rootDeviceName ? { name: source.rootDeviceName, sizeGiB: target.vm.rootVolumeGiB } : undefined,
      tags: awsTags({
        ...marks,
        Name: groupName,
        [TAG.role]: 'builder',
        [TAG.goVersion]: plan.go.version,
        [TAG.userDataSha256]: input.userData.scriptSha256,
      }),
      clientToken: `bake-${input.runId}`,
    });
    logger.info(
      `${target.name}: builder ${builder.instanceId} launched (${target.vm.instanceType}); ` +
        'waiting for its readiness verdict',
    );
    return await withTermination(input, builder.instanceId, () =>
      bakeOnBuilder(input, builder.instanceId, source.imageId),
    );
  } finally {
    if (!input.securityGroupId) await deleteBuilderGroup(ec2, groupId, input.timeouts, logger);
  }
}

/** RunInstances, with the way out when the builder's role is what is missing. */
async function launchBuilder(ec2: Ec2Api, request: LaunchRequest): Promise<Ec2Instance> {
  try {
    return await ec2.runInstance(request);
  } catch (err) {
    if (err instanceof Ec2Error && /NoSuchEntity|IamInstanceProfile/i.test(`${err.code} ${err.message}`)) {
      throw new BakeError(
        `${err.message}`,
        ExitCode.Unavailable,
        "apply the target's stack (bake ami --synth, then terraform apply) to create the builder's role, " +
          'or pass --instance-profile',
      );
    }
    throw err;
  }
}

async function bakeOnBuilder(input: AmiBuildInput, instanceId: string, sourceAmi: string): Promise<AmiBuildResult> {
  const { ec2, plan, logger, timeouts, signal } = input;
  const startedAt = input.now();
  const seen = await waitForVerdict(ec2, instanceId, timeouts, signal);
  const report = builderReport(plan, instanceId, seen, startedAt, input.now());
  const consoleNote = seen.console ? '' : '; its console result was not readable, so the tags are the report';
  logger.info(
    `${plan.target.name}: builder ${instanceId} says ${seen.verdict.status} (${seen.verdict.summary})${consoleNote}`,
  );
  if (!report.passed) return { status: 'rejected', builder: instanceId, report };

  await stopBuilder(ec2, instanceId, timeouts, signal);
  let created: string | undefined;
  try {
    const createdAt = input.now();
    const facts = {
      target: plan.target,
      goVersion: plan.go.version,
      inputsDigest: plan.inputsDigest,
      userDataSha256: input.userData.scriptSha256,
      summary: seen.verdict.summary,
      runId: input.runId,
      createdAt,
    };
    const image = await createVettedImage(ec2, instanceId, facts, timeouts, signal, (id) => (created = id));
    logger.info(`${plan.target.name}: ${image.imageId} (${image.name}) is available and tagged as vetted`);
    const copies = await copyImage(
      { ...image, region: ec2.region },
      input.copyTo,
      input.regionApi,
      timeouts,
      logger,
      signal,
    );
    const record: AmiRecord = {
      schema: 'bake.ami/v1',
      target: plan.target.name,
      region: ec2.region,
      amiId: image.imageId,
      name: image.name,
      snapshotIds: image.snapshotIds,
      sourceAmi,
      goVersion: plan.go.version,
      goSha256: plan.go.sha256,
      inputsDigest: plan.inputsDigest,
      userDataSha256: input.userData.scriptSha256,
      report: { passed: true, summary: seen.verdict.summary, source: seen.console ? 'console' : 'tag' },
      createdAt: createdAt.toISOString(),
      copies,
      ...(seen.console?.baseline ? { baseline: seen.console.baseline } : {}),
    };
    return { status: 'vetted', builder: instanceId, record, report };
  } catch (err) {
    // An image that never became vetted is not kept: nothing half-made looks like a result.
    if (created) await discardImage(ec2, created, logger);
    throw err;
  }
}

/** Runs `work`, then terminates the builder whatever happened; a failed termination is an error of its own. */
async function withTermination<T>(input: AmiBuildInput, instanceId: string, work: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await terminateBuilder(input.ec2, instanceId, input.timeouts, input.logger);
    if (input.signal?.aborted)
      throw new BakeError(
        `${input.plan.target.name}: interrupted; builder ${instanceId} terminated, nothing tagged`,
        ExitCode.Interrupted,
      );
    throw err;
  }
  const failed = await terminateBuilder(input.ec2, instanceId, input.timeouts, input.logger);
  if (failed)
    throw new BakeError(`builder ${instanceId} could not be terminated: ${errorMessage(failed)}`, ExitCode.Unavailable);
  return result;
}

function builderReport(plan: Plan, instanceId: string, seen: BuilderVerdict, startedAt: Date, now: Date): Report {
  const artifact = {
    kind: 'vm' as const,
    ref: `builder ${instanceId}`,
    id: instanceId,
    platform: `linux/${plan.target.arch}`,
  };
  if (!seen.console) return verdictReport(plan.target.name, seen.verdict, artifact, startedAt, now);
  const report = hostReport(seen.console.result, artifact, startedAt);
  // Both must say pass: a console result contradicting the tags is a failure, not a tie-break.
  return { ...report, passed: report.passed && seen.verdict.status === 'pass' };
}
