// The EC2 operations the AMI driver needs, in bake's own terms: Ec2Sdk (ec2-sdk.ts) implements
// them with the AWS SDK, unit tests with an in-memory region.
import { BakeError, ExitCode } from '../../common/errors';
import type { Ec2Image, Ec2Instance, LaunchRequest, ImageFilter } from './types';

/** The EC2 API as the AMI driver uses it; one real implementation (Ec2Sdk), fakes in unit tests. */
export interface Ec2Api {
  readonly region: string;
  describeImages(filter: ImageFilter): Promise<Ec2Image[]>;
  runInstance(request: LaunchRequest): Promise<Ec2Instance>;
  describeInstance(instanceId: string): Promise<Ec2Instance | undefined>;
  /** The builder's user data as EC2 stores it (decoded). */
  userData(instanceId: string): Promise<string | undefined>;
  /** The serial console so far (decoded), or undefined when EC2 has none yet. */
  consoleOutput(instanceId: string): Promise<string | undefined>;
  stopInstance(instanceId: string): Promise<void>;
  terminateInstance(instanceId: string): Promise<void>;
  createImage(instanceId: string, name: string, description: string, tags: Record<string, string>): Promise<string>;
  copyImage(sourceImageId: string, sourceRegion: string, name: string, description: string): Promise<string>;
  createTags(resourceIds: string[], tags: Record<string, string>): Promise<void>;
  deleteTags(resourceIds: string[], keys: string[]): Promise<void>;
  /** EnableImageDeprecation at `at`, or DisableImageDeprecation when `at` is undefined. */
  deprecateImage(imageId: string, at: Date | undefined): Promise<void>;
  deregisterImage(imageId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  createSecurityGroup(name: string, description: string, tags: Record<string, string>): Promise<string>;
  deleteSecurityGroup(groupId: string): Promise<void>;
}

/** A failed EC2 call: `code` tells "not found" from "not allowed" from "not reachable". */
export class Ec2Error extends BakeError {
  constructor(
    readonly operation: string,
    readonly code: string,
    detail: string,
  ) {
    super(`EC2 ${operation}: ${code}: ${detail}`, ExitCode.Unavailable);
    this.name = 'Ec2Error';
  }
}
