import {
  AuthorizeSecurityGroupEgressCommand,
  CopyImageCommand,
  CreateImageCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DisableImageDeprecationCommand,
  EC2Client,
  EnableImageDeprecationCommand,
  GetConsoleOutputCommand,
  RevokeSecurityGroupEgressCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Image,
  type Tag,
} from '@aws-sdk/client-ec2';
import { BakeError, ExitCode } from '../../common/errors';
import { Ec2Error, type Ec2Api } from './ec2-api';
import type { Ec2Image, Ec2Instance, ImageFilter, LaunchRequest } from './types';
import { decodeUserData } from './user-data';

export interface Ec2SdkOptions {
  /** The SDK's own chain (AWS_REGION, the shared config file) decides when absent. */
  region?: string;
  /** Another EC2 API (moto, LocalStack, a VPC endpoint); AWS's regional endpoint when absent. */
  endpoint?: string;
}

/**
 * Ec2Api over the AWS SDK. Credentials come from the SDK's default chain (environment, shared
 * files, SSO, instance role) and are never read, logged or passed on by bake.
 */
export class Ec2Sdk implements Ec2Api {
  private constructor(
    private readonly client: EC2Client,
    readonly region: string,
    private readonly endpoint?: string,
  ) {}

  static async connect(options: Ec2SdkOptions): Promise<Ec2Sdk> {
    const client = new EC2Client({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      maxAttempts: 5,
    });
    let region: string;
    try {
      region = await client.config.region();
    } catch {
      throw new BakeError('no AWS region: pass --region, or set AWS_REGION', ExitCode.Usage);
    }
    return new Ec2Sdk(client, region, options.endpoint);
  }

  /** The same API in another region (for copies), through the same endpoint. */
  inRegion(region: string): Ec2Sdk {
    return new Ec2Sdk(
      new EC2Client({ region, ...(this.endpoint ? { endpoint: this.endpoint } : {}), maxAttempts: 5 }),
      region,
      this.endpoint,
    );
  }

  async describeImages(filter: ImageFilter): Promise<Ec2Image[]> {
    const out = await this.call('DescribeImages', () =>
      this.client.send(
        new DescribeImagesCommand({
          ...(filter.owners ? { Owners: filter.owners } : {}),
          ...(filter.imageIds ? { ImageIds: filter.imageIds } : {}),
          Filters: Object.entries(filter.filters ?? {}).map(([Name, Values]) => ({ Name, Values })),
        }),
      ),
    );
    return (out.Images ?? []).map(toImage);
  }

  async runInstance(request: LaunchRequest): Promise<Ec2Instance> {
    const tags = toTags(request.tags);
    const out = await this.call('RunInstances', () =>
      this.client.send(
        new RunInstancesCommand({
          ImageId: request.imageId,
          InstanceType: request.instanceType as never,
          MinCount: 1,
          MaxCount: 1,
          ClientToken: request.clientToken,
          UserData: request.userDataBase64,
          SecurityGroupIds: request.securityGroupIds,
          ...(request.subnetId ? { SubnetId: request.subnetId } : {}),
          ...(request.instanceProfile ? { IamInstanceProfile: { Name: request.instanceProfile } } : {}),
          ...(request.rootDevice
            ? {
                BlockDeviceMappings: [
                  {
                    DeviceName: request.rootDevice.name,
                    Ebs: {
                      VolumeSize: request.rootDevice.sizeGiB,
                      VolumeType: 'gp3',
                      Encrypted: true,
                      DeleteOnTermination: true,
                    },
                  },
                ],
              }
            : {}),
          InstanceInitiatedShutdownBehavior: 'terminate',
          MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
          TagSpecifications: [
            { ResourceType: 'instance', Tags: tags },
            { ResourceType: 'volume', Tags: tags },
          ],
        }),
      ),
    );
    const instance = out.Instances?.[0];
    if (!instance?.InstanceId) throw new BakeError('RunInstances returned no instance', ExitCode.Unavailable);
    return { instanceId: instance.InstanceId, state: instance.State?.Name ?? 'pending', tags: fromTags(instance.Tags) };
  }

  async describeInstance(instanceId: string): Promise<Ec2Instance | undefined> {
    const out = await this.call('DescribeInstances', () =>
      this.client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    );
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
    return instance
      ? { instanceId, state: instance.State?.Name ?? 'unknown', tags: fromTags(instance.Tags) }
      : undefined;
  }

  async userData(instanceId: string): Promise<string | undefined> {
    const out = await this.call('DescribeInstanceAttribute', () =>
      this.client.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' })),
    );
    const value = out.UserData?.Value;
    return value ? decodeUserData(Buffer.from(value, 'base64')) : undefined;
  }

  async consoleOutput(instanceId: string): Promise<string | undefined> {
    const out = await this.call('GetConsoleOutput', () =>
      this.client.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true })),
    );
    return out.Output ? Buffer.from(out.Output, 'base64').toString('utf8') : undefined;
  }

  async stopInstance(instanceId: string): Promise<void> {
    await this.call('StopInstances', () => this.client.send(new StopInstancesCommand({ InstanceIds: [instanceId] })));
  }

  async terminateInstance(instanceId: string): Promise<void> {
    await this.call('TerminateInstances', () =>
      this.client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })),
    );
  }

  async createImage(
    instanceId: string,
    name: string,
    description: string,
    tags: Record<string, string>,
  ): Promise<string> {
    const out = await this.call('CreateImage', () =>
      this.client.send(
        new CreateImageCommand({
          InstanceId: instanceId,
          Name: name,
          Description: description,
          TagSpecifications: [{ ResourceType: 'image', Tags: toTags(tags) }],
        }),
      ),
    );
    if (!out.ImageId) throw new BakeError('CreateImage returned no image id', ExitCode.Unavailable);
    return out.ImageId;
  }

  async copyImage(sourceImageId: string, sourceRegion: string, name: string, description: string): Promise<string> {
    const out = await this.call('CopyImage', () =>
      this.client.send(
        new CopyImageCommand({
          SourceImageId: sourceImageId,
          SourceRegion: sourceRegion,
          Name: name,
          Description: description,
          Encrypted: true,
        }),
      ),
    );
    if (!out.ImageId) throw new BakeError('CopyImage returned no image id', ExitCode.Unavailable);
    return out.ImageId;
  }

  async createTags(resourceIds: string[], tags: Record<string, string>): Promise<void> {
    await this.call('CreateTags', () =>
      this.client.send(new CreateTagsCommand({ Resources: resourceIds, Tags: toTags(tags) })),
    );
  }

  async deleteTags(resourceIds: string[], keys: string[]): Promise<void> {
    await this.call('DeleteTags', () =>
      this.client.send(new DeleteTagsCommand({ Resources: resourceIds, Tags: keys.map((Key) => ({ Key })) })),
    );
  }

  async deprecateImage(imageId: string, at: Date | undefined): Promise<void> {
    if (at)
      await this.call('EnableImageDeprecation', () =>
        this.client.send(new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: at })),
      );
    else
      await this.call('DisableImageDeprecation', () =>
        this.client.send(new DisableImageDeprecationCommand({ ImageId: imageId })),
      );
  }

  async deregisterImage(imageId: string): Promise<void> {
    await this.call('DeregisterImage', () => this.client.send(new DeregisterImageCommand({ ImageId: imageId })));
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.call('DeleteSnapshot', () => this.client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
  }

  async createSecurityGroup(name: string, description: string, tags: Record<string, string>): Promise<string> {
    const out = await this.call('CreateSecurityGroup', () =>
      this.client.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: description,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: toTags(tags) }],
        }),
      ),
    );
    const groupId = out.GroupId;
    if (!groupId) throw new BakeError('CreateSecurityGroup returned no group id', ExitCode.Unavailable);
    // A new group has no ingress and allows all egress; egress is narrowed to HTTP(S), as in the stack.
    await this.call('RevokeSecurityGroupEgress', () =>
      this.client.send(
        new RevokeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      ),
    );
    await this.call('AuthorizeSecurityGroupEgress', () =>
      this.client.send(
        new AuthorizeSecurityGroupEgressCommand({
          GroupId: groupId,
          IpPermissions: [443, 80].map((port) => ({
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          })),
        }),
      ),
    );
    return groupId;
  }

  async deleteSecurityGroup(groupId: string): Promise<void> {
    await this.call('DeleteSecurityGroup', () =>
      this.client.send(new DeleteSecurityGroupCommand({ GroupId: groupId })),
    );
  }

  /** One line per failed call, naming the operation and EC2's error code (never a credential). */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      const e = err as { name?: string; message?: string; Code?: string };
      throw new Ec2Error(operation, e.Code ?? e.name ?? 'Error', (e.message ?? String(err)).split('\n')[0]);
    }
  }
}

function toImage(image: Image): Ec2Image {
  return {
    imageId: image.ImageId ?? '',
    name: image.Name ?? '',
    state: image.State ?? 'unknown',
    architecture: image.Architecture,
    ownerId: image.OwnerId,
    creationDate: image.CreationDate,
    rootDeviceName: image.RootDeviceName,
    snapshotIds: (image.BlockDeviceMappings ?? []).flatMap((b) => (b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [])),
    tags: fromTags(image.Tags),
    ...(image.DeprecationTime ? { deprecationTime: image.DeprecationTime } : {}),
  };
}

function toTags(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function fromTags(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}
