import { ExitCode } from '../../../../bake/common/errors';
import { TAG } from '../../../../bake/vm/ec2/bake-tags';
import { publishedVerdict, waitForVerdict } from '../../../../bake/vm/ec2/builder-verdict';
import { FakeEc2 } from './fake-ec2';

const timeouts = { provisionMs: 500, consoleMs: 50, stateMs: 500, pollMs: 1 };

describe('publishedVerdict', () => {
  test('pass or fail with the summary and the result hash, or nothing yet', () => {
    expect(publishedVerdict({})).toBeUndefined();
    expect(publishedVerdict({ [TAG.verdict]: 'maybe' })).toBeUndefined();
    expect(publishedVerdict({ [TAG.verdict]: 'pass', [TAG.verdictSummary]: '11/11 passed' })).toEqual({
      status: 'pass',
      summary: '11/11 passed',
    });
    expect(publishedVerdict({ [TAG.verdict]: 'fail', [TAG.verdictSha256]: 'abc' })).toEqual({
      status: 'fail',
      summary: '',
      resultSha256: 'abc',
    });
  });
});

describe('waitForVerdict', () => {
  async function builder(ec2: FakeEc2): Promise<string> {
    return (
      await ec2.runInstance({
        imageId: 'ami-src',
        instanceType: 't3.medium',
        userDataBase64: '',
        securityGroupIds: [],
        tags: {},
        clientToken: 't',
      })
    ).instanceId;
  }

  test('the verdict the builder tags itself with, once it does', async () => {
    const ec2 = new FakeEc2();
    ec2.builder = (instance, describes) => {
      if (describes === 3)
        Object.assign(instance.tags, { [TAG.verdict]: 'pass', [TAG.verdictSummary]: '11/11 passed' });
    };
    const id = await builder(ec2);
    expect(await waitForVerdict(ec2, id, timeouts)).toEqual({ verdict: { status: 'pass', summary: '11/11 passed' } });
  });

  test('a builder that stopped without a verdict is a failed check', async () => {
    const ec2 = new FakeEc2();
    const id = await builder(ec2);
    ec2.instances.get(id)!.state = 'stopped';
    await expect(waitForVerdict(ec2, id, timeouts)).rejects.toMatchObject({
      exitCode: ExitCode.CheckFailed,
      message: `builder ${id} is stopped and published no verdict`,
    });
  });

  test('a builder that is gone is unavailable', async () => {
    await expect(waitForVerdict(new FakeEc2(), 'i-none', timeouts)).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: 'builder i-none no longer exists',
    });
  });

  test('no verdict within the provisioning time', async () => {
    const ec2 = new FakeEc2();
    const id = await builder(ec2);
    await expect(waitForVerdict(ec2, id, { ...timeouts, provisionMs: 20 })).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: expect.stringContaining(`the readiness verdict of builder ${id}: not within`),
    });
  });
});
