import { silentLogger, type Logger } from '../../../../bake/common/log';
import { TAG } from '../../../../bake/vm/ec2/bake-tags';
import { createVettedImage, discardImage, vettedTags } from '../../../../bake/vm/ec2/vetted-image';
import { handMadeTarget } from '../../render/render-fixtures';
import { FakeEc2 } from './fake-ec2';

const timeouts = { provisionMs: 1000, consoleMs: 100, stateMs: 1000, pollMs: 1 };
const facts = {
  target: handMadeTarget(),
  goVersion: '1.27.4',
  inputsDigest: `sha256:${'a'.repeat(64)}`,
  userDataSha256: 'b'.repeat(64),
  summary: '11/11 passed',
  runId: 'run1',
  createdAt: new Date('2026-12-06T12:00:00.123Z'),
};

describe('vettedTags', () => {
  test('what retention and consumers read: target, inputs, Go, the time to the millisecond, vetted', () => {
    expect(vettedTags(facts, 'bake-x')).toEqual({
      Name: 'bake-x',
      [TAG.managed]: 'true',
      [TAG.target]: 'testos1-amd64',
      [TAG.runId]: 'run1',
      [TAG.goVersion]: '1.27.4',
      [TAG.inputsDigest]: facts.inputsDigest,
      [TAG.userDataSha256]: facts.userDataSha256,
      [TAG.readinessSummary]: '11/11 passed',
      [TAG.createdAt]: '2026-12-06T12:00:00.123Z',
      [TAG.vetted]: 'true',
    });
  });
});

describe('createVettedImage', () => {
  test('the image says vetted=false until it is available, then it and its snapshots are tagged vetted', async () => {
    const ec2 = new FakeEc2();
    const { instanceId } = await ec2.runInstance({
      imageId: 'ami-src',
      instanceType: 't3.medium',
      userDataBase64: '',
      securityGroupIds: [],
      tags: {},
      clientToken: 't',
    });
    await ec2.stopInstance(instanceId);
    let created: string | undefined;
    const pendingTags: Record<string, string>[] = [];
    const image = await createVettedImage(ec2, instanceId, facts, timeouts, undefined, (id) => {
      created = id;
      pendingTags.push({ ...ec2.images.get(id)!.tags });
    });
    expect(created).toBe(image.imageId);
    expect(pendingTags[0][TAG.vetted]).toBe('false');
    expect(image.name).toBe('bake-testos1-amd64-go1.27.4-20261206T120000Z');
    expect(ec2.images.get(image.imageId)!.tags[TAG.vetted]).toBe('true');
    expect(image.tags[TAG.inputsDigest]).toBe(facts.inputsDigest);
  });
});

describe('discardImage', () => {
  test('deregisters the image and deletes its snapshots', async () => {
    const ec2 = new FakeEc2();
    ec2.addImage({ imageId: 'ami-1', snapshotIds: ['snap-1', 'snap-2'] });
    await discardImage(ec2, 'ami-1', silentLogger);
    expect(ec2.images.size).toBe(0);
    expect(ec2.snapshots.size).toBe(0);
  });

  test('when EC2 refuses, says so (the image stays marked vetted=false) and does not throw', async () => {
    const ec2 = new FakeEc2();
    ec2.addImage({ imageId: 'ami-1' });
    ec2.failOn = 'deregisterImage';
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    await discardImage(ec2, 'ami-1', logger);
    expect(warnings).toEqual([
      'ami-1 was not vetted and could not be removed (EC2 deregisterImage: InternalError: ' +
        'deregisterImage failed (injected)); it is tagged bake:vetted=false',
    ]);
  });
});
