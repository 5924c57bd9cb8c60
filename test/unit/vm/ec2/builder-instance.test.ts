import { silentLogger, type Logger } from '../../../../bake/common/log';
import { deleteBuilderGroup, stopBuilder, terminateBuilder } from '../../../../bake/vm/ec2/builder-instance';
import { FakeEc2 } from './fake-ec2';

const timeouts = { provisionMs: 1000, consoleMs: 100, stateMs: 200, pollMs: 1 };

async function launched(ec2: FakeEc2, groups: string[] = []): Promise<string> {
  const { instanceId } = await ec2.runInstance({
    imageId: 'ami-src',
    instanceType: 't3.medium',
    userDataBase64: '',
    securityGroupIds: groups,
    tags: {},
    clientToken: 't',
  });
  return instanceId;
}

function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { ...silentLogger, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), lines };
}

describe('the builder instance', () => {
  test('stopBuilder stops it and waits until EC2 says stopped', async () => {
    const ec2 = new FakeEc2();
    const id = await launched(ec2);
    await stopBuilder(ec2, id, timeouts);
    expect(ec2.instances.get(id)!.state).toBe('stopped');
    expect(ec2.calls).toEqual(['runInstance', 'stopInstance', 'describeInstance']);
  });

  test('terminateBuilder terminates and returns no error; a failure is returned and said, never thrown', async () => {
    const ec2 = new FakeEc2();
    const id = await launched(ec2);
    const logger = recording();
    expect(await terminateBuilder(ec2, id, timeouts, logger)).toBeUndefined();
    expect(logger.lines).toEqual([`info builder ${id} terminated`]);
    const failing = new FakeEc2();
    const other = await launched(failing);
    failing.failOn = 'terminateInstance';
    const error = await terminateBuilder(failing, other, timeouts, logger);
    expect(error?.message).toMatch(/terminateInstance failed/);
    expect(logger.lines[1]).toMatch(new RegExp(`^warn builder ${other} may still be running .*terminate it by hand$`));
  });

  test('deleteBuilderGroup waits while the group is in use, then deletes it', async () => {
    const ec2 = new FakeEc2();
    const group = await ec2.createSecurityGroup('bake-builder-x');
    const id = await launched(ec2, [group]);
    setTimeout(() => void ec2.terminateInstance(id), 20);
    await deleteBuilderGroup(ec2, group, timeouts, silentLogger);
    expect(ec2.groups.has(group)).toBe(false);
  });

  test('deleteBuilderGroup leaves a group still in use at the deadline, and says so', async () => {
    const ec2 = new FakeEc2();
    const group = await ec2.createSecurityGroup('bake-builder-x');
    await launched(ec2, [group]);
    const logger = recording();
    await deleteBuilderGroup(ec2, group, { ...timeouts, stateMs: 20 }, logger);
    expect(ec2.groups.has(group)).toBe(true);
    expect(logger.lines).toEqual([
      expect.stringMatching(new RegExp(`^warn security group ${group} is left behind .*delete it by hand$`)),
    ]);
  });
});
