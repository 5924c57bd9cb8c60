import { Ec2Error, type Ec2Api } from '../../../../bake/vm/ec2/ec2-api';
import type { Ec2Image, Ec2Instance, ImageFilter, LaunchRequest } from '../../../../bake/vm/ec2/types';

/**
 * An in-memory EC2 region for the driver's decision logic: instances, images, snapshots,
 * security groups, and a log of every call. `builder` says what the launched instance does
 * (publish tags, print to its console) each time it is described.
 */
export class FakeEc2 implements Ec2Api {
  readonly calls: string[] = [];
  readonly launches: LaunchRequest[] = [];
  readonly instances = new Map<string, Ec2Instance & { userDataBase64?: string; console?: string; groups: string[] }>();
  readonly images = new Map<string, Ec2Image>();
  readonly snapshots = new Set<string>();
  readonly groups = new Set<string>();
  builder: (instance: FakeEc2['instances'] extends Map<string, infer I> ? I : never, describes: number) => void =
    () => {};
  failOn?: string;
  private counter = 0;
  private describes = 0;

  constructor(readonly region = 'us-east-1') {}

  addImage(image: Partial<Ec2Image> & { imageId: string }): Ec2Image {
    const full = { name: image.imageId, state: 'available', snapshotIds: [], tags: {}, ...image };
    this.images.set(full.imageId, full);
    for (const s of full.snapshotIds) this.snapshots.add(s);
    return full;
  }

  async describeImages(filter: ImageFilter): Promise<Ec2Image[]> {
    this.call('describeImages');
    return [...this.images.values()].filter((i) => {
      if (filter.imageIds && !filter.imageIds.includes(i.imageId)) return false;
      if (filter.owners && !filter.owners.includes(i.ownerId ?? 'self')) return false;
      return Object.entries(filter.filters ?? {}).every(([name, values]) => {
        const actual = name.startsWith('tag:')
          ? i.tags[name.slice(4)]
          : name === 'name'
            ? i.name
            : name === 'architecture'
              ? i.architecture
              : name === 'state'
                ? i.state
                : undefined;
        return values.some((v) =>
          new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(actual ?? ''),
        );
      });
    });
  }

  async runInstance(request: LaunchRequest): Promise<Ec2Instance> {
    this.call('runInstance');
    this.launches.push(request);
    const instanceId = `i-${++this.counter}`;
    this.instances.set(instanceId, {
      instanceId,
      state: 'running',
      tags: { ...request.tags },
      userDataBase64: request.userDataBase64,
      groups: request.securityGroupIds,
    });
    return { instanceId, state: 'pending', tags: request.tags };
  }

  async describeInstance(instanceId: string): Promise<Ec2Instance | undefined> {
    this.call('describeInstance');
    const instance = this.instances.get(instanceId);
    if (instance && instance.state === 'running') this.builder(instance, ++this.describes);
    return instance && { instanceId, state: instance.state, tags: { ...instance.tags } };
  }

  async userData(instanceId: string): Promise<string | undefined> {
    return this.instances.get(instanceId)?.userDataBase64;
  }

  async consoleOutput(instanceId: string): Promise<string | undefined> {
    this.call('consoleOutput');
    return this.instances.get(instanceId)?.console;
  }

  async stopInstance(instanceId: string): Promise<void> {
    this.call('stopInstance');
    this.instances.get(instanceId)!.state = 'stopped';
  }

  async terminateInstance(instanceId: string): Promise<void> {
    this.call('terminateInstance');
    const instance = this.instances.get(instanceId)!;
    instance.state = 'terminated';
    instance.groups = [];
  }

  async createImage(
    instanceId: string,
    name: string,
    _description: string,
    tags: Record<string, string>,
  ): Promise<string> {
    this.call('createImage');
    if (this.instances.get(instanceId)?.state !== 'stopped')
      throw new Error(`imaging ${instanceId}, which is not stopped`);
    const imageId = `ami-${++this.counter}`;
    this.addImage({
      imageId,
      name,
      state: 'pending',
      snapshotIds: [`snap-${this.counter}`],
      tags: { ...tags },
      ownerId: 'self',
      creationDate: new Date().toISOString(),
    });
    // EC2 makes the image available a moment later.
    setTimeout(() => (this.images.get(imageId)!.state = 'available'), 5);
    return imageId;
  }

  async copyImage(sourceImageId: string, _sourceRegion: string, name: string): Promise<string> {
    this.call('copyImage');
    return this.addImage({
      imageId: `ami-copy-${sourceImageId}`,
      name,
      snapshotIds: [`snap-copy-${sourceImageId}`],
      ownerId: 'self',
    }).imageId;
  }

  async createTags(resourceIds: string[], tags: Record<string, string>): Promise<void> {
    this.call('createTags');
    for (const id of resourceIds) {
      const target = this.images.get(id) ?? this.instances.get(id);
      if (target) Object.assign(target.tags, tags);
    }
  }

  async deleteTags(resourceIds: string[], keys: string[]): Promise<void> {
    this.call('deleteTags');
    for (const id of resourceIds) {
      const target = this.images.get(id) ?? this.instances.get(id);
      for (const key of keys) if (target) delete target.tags[key];
    }
  }

  async deprecateImage(imageId: string, at: Date | undefined): Promise<void> {
    this.call('deprecateImage');
    const image = this.images.get(imageId);
    if (!image) throw new Ec2Error('EnableImageDeprecation', 'InvalidAMIID.NotFound', `no image ${imageId}`);
    if (at) image.deprecationTime = at.toISOString();
    else delete image.deprecationTime;
  }

  async deregisterImage(imageId: string): Promise<void> {
    this.call('deregisterImage');
    this.images.delete(imageId);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    this.call('deleteSnapshot');
    this.snapshots.delete(snapshotId);
  }

  async createSecurityGroup(name: string): Promise<string> {
    this.call('createSecurityGroup');
    this.groups.add(`sg-${name}`);
    return `sg-${name}`;
  }

  async deleteSecurityGroup(groupId: string): Promise<void> {
    this.call('deleteSecurityGroup');
    if ([...this.instances.values()].some((i) => i.groups.includes(groupId)))
      throw new Ec2Error('DeleteSecurityGroup', 'DependencyViolation', 'in use');
    this.groups.delete(groupId);
  }

  private call(name: string): void {
    this.calls.push(name);
    if (this.failOn === name) throw new Ec2Error(name, 'InternalError', `${name} failed (injected)`);
  }
}
