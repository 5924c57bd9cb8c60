import { ExitCode } from '../../../../bake/common/errors';
import { silentLogger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import type { Plan } from '../../../../bake/plan/types';
import { buildAmi, type AmiBuildInput } from '../../../../bake/vm/ec2/ami-build';
import { RESULT_BEGIN, RESULT_END, TAG } from '../../../../bake/vm/ec2/bake-tags';
import { Ec2Error } from '../../../../bake/vm/ec2/ec2-api';
import { encodeUserData } from '../../../../bake/vm/ec2/user-data';
import { fixtureCore, handMadeTarget } from '../../render/render-fixtures';
import { FakeEc2 } from './fake-ec2';

const TIMEOUTS = { provisionMs: 2000, consoleMs: 50, stateMs: 2000, pollMs: 1 };
const plan: Plan = {
  ...fixtureCore(handMadeTarget()),
  contexts: { toolchain: [], runtime: [] },
  inputsDigest: `sha256:${'c'.repeat(64)}`,
};
const userData = encodeUserData('#!/bin/bash\necho provision\n');

function region(builder: FakeEc2['builder'] = () => {}): FakeEc2 {
  const ec2 = new FakeEc2();
  ec2.addImage({
    imageId: 'ami-source',
    name: 'testos-1-20250101',
    architecture: 'x86_64',
    ownerId: '123456789012',
    creationDate: '2025-01-01T00:00:00Z',
    rootDeviceName: '/dev/xvda',
  });
  ec2.builder = builder;
  return ec2;
}

function input(ec2: FakeEc2, overrides: Partial<AmiBuildInput> = {}): AmiBuildInput {
  const copies = new Map<string, FakeEc2>();
  return {
    ec2,
    regionApi: (r) => copies.get(r) ?? copies.set(r, new FakeEc2(r)).get(r)!,
    plan,
    userData,
    copyTo: [],
    timeouts: TIMEOUTS,
    runId: 'run1',
    now: () => new Date('2025-02-01T10:00:00.123Z'),
    logger: silentLogger,
    ...overrides,
  };
}

/** The builder publishes its verdict on the third look, as the script would at its end. */
const publishes =
  (status: 'pass' | 'fail', summary = '11/11 passed'): FakeEc2['builder'] =>
  (instance, describes) => {
    if (describes >= 3) Object.assign(instance.tags, { [TAG.verdict]: status, [TAG.verdictSummary]: summary });
  };

function consoleBlock(passed: boolean): { text: string; sha256: string } {
  const line = JSON.stringify({
    schema: 'bake.host-readiness/v1',
    target: 'testos1-amd64',
    passed,
    summary: passed ? '1/1 passed' : '0/1 passed',
    finishedAt: '2025-02-01T10:00:00Z',
    results: [{ id: 'go.version', status: passed ? 'pass' : 'fail', reason: 'r' }],
  });
  const sha256 = sha256Hex(`${line}\n`);
  return { text: `boot...\n${RESULT_BEGIN}\n${line}\n${RESULT_END} sha256=${sha256}\nlogin:`, sha256 };
}

describe('buildAmi', () => {
  it(
    'on a pass: launches from the recipe lookup, ' + 'stops, images, tags vetted, terminates, deletes its group',
    async () => {
      const ec2 = region(publishes('pass'));
      const result = await buildAmi(input(ec2));
      expect(result.status).toBe('vetted');
      if (result.status !== 'vetted') return;
      const builder = ec2.instances.get(result.builder)!;
      expect(builder).toMatchObject({ state: 'terminated', userDataBase64: userData.base64 });
      expect(ec2.launches[0]).toMatchObject({
        imageId: 'ami-source',
        instanceType: 't3.medium',
        instanceProfile: 'bake-builder-testos1-amd64',
        rootDevice: { name: '/dev/xvda', sizeGiB: 16 },
        securityGroupIds: ['sg-bake-builder-testos1-amd64-run1'],
      });
      expect(builder.tags).toMatchObject({
        [TAG.managed]: 'true',
        [TAG.target]: 'testos1-amd64',
        [TAG.role]: 'builder',
        [TAG.userDataSha256]: userData.scriptSha256,
      });
      const image = ec2.images.get(result.record.amiId)!;
      expect(image.tags).toMatchObject({
        [TAG.vetted]: 'true',
        [TAG.goVersion]: plan.go.version,
        [TAG.inputsDigest]: plan.inputsDigest,
        [TAG.readinessSummary]: '11/11 passed',
        [TAG.createdAt]: '2025-02-01T10:00:00.123Z',
      });
      expect(result.record).toMatchObject({
        sourceAmi: 'ami-source',
        region: 'us-east-1',
        snapshotIds: image.snapshotIds,
        report: { passed: true, source: 'tag' },
        copies: [],
      });
      expect(ec2.groups.size).toBe(0);
      expect(ec2.calls.indexOf('stopInstance')).toBeLessThan(ec2.calls.indexOf('createImage'));
      expect(ec2.calls.at(-1)).toBe('deleteSecurityGroup');
    },
  );

  it('on a fail: no image, the builder terminated, the report says why', async () => {
    const ec2 = region(publishes('fail', '10/11 passed'));
    const result = await buildAmi(input(ec2));
    expect(result).toMatchObject({
      status: 'rejected',
      report: { passed: false, results: [{ id: 'host.verdict', status: 'fail', reason: '10/11 passed' }] },
    });
    expect(ec2.calls).not.toContain('createImage');
    expect(ec2.instances.get(result.builder)!.state).toBe('terminated');
  });

  it('reads the full result from the console when the tags name it, and rejects when the two disagree', async () => {
    const good = consoleBlock(true);
    const ec2 = region((instance, n) => {
      instance.console = good.text;
      if (n >= 2)
        Object.assign(instance.tags, {
          [TAG.verdict]: 'pass',
          [TAG.verdictSummary]: '1/1 passed',
          [TAG.verdictSha256]: good.sha256,
        });
    });
    const result = await buildAmi(input(ec2));
    expect(result.status).toBe('vetted');
    expect(result.report.results.map((r) => r.id)).toEqual(['go.version']);

    const bad = consoleBlock(false);
    const liar = region((instance) => {
      instance.console = bad.text;
      Object.assign(instance.tags, {
        [TAG.verdict]: 'pass',
        [TAG.verdictSummary]: '1/1 passed',
        [TAG.verdictSha256]: bad.sha256,
      });
    });
    expect((await buildAmi(input(liar))).status).toBe('rejected');
  });

  it('takes the verdict from the console alone when the builder has no role to tag itself', async () => {
    const ec2 = region((instance) => (instance.console = consoleBlock(true).text));
    const result = await buildAmi(input(ec2));
    expect(result).toMatchObject({
      status: 'vetted',
      record: { report: { source: 'console', summary: '1/1 passed' } },
    });
  });

  it('gives up after the provisioning timeout, and still terminates the builder', async () => {
    const ec2 = region();
    await expect(buildAmi(input(ec2, { timeouts: { ...TIMEOUTS, provisionMs: 20 } }))).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      message: expect.stringContaining('the readiness verdict of builder i-1: not within'),
    });
    expect(ec2.instances.get('i-1')!.state).toBe('terminated');
    expect(ec2.groups.size).toBe(0);
  });

  it('on an interrupt: stops waiting, terminates the builder, exits as interrupted', async () => {
    const controller = new AbortController();
    const ec2 = region((_instance, n) => n === 2 && controller.abort());
    await expect(buildAmi(input(ec2, { signal: controller.signal }))).rejects.toMatchObject({
      exitCode: ExitCode.Interrupted,
    });
    expect(ec2.instances.get('i-1')!.state).toBe('terminated');
    expect(ec2.calls).not.toContain('createImage');
  });

  it('removes an image that failed on its way to vetted, and terminates the builder', async () => {
    const ec2 = region(publishes('pass'));
    ec2.failOn = 'createTags';
    await expect(buildAmi(input(ec2))).rejects.toThrow('createTags failed (injected)');
    expect([...ec2.images.keys()]).toEqual(['ami-source']);
    expect(ec2.instances.get('i-1')!.state).toBe('terminated');
  });

  it('copies the vetted image to more regions, tagged like the original', async () => {
    const ec2 = region(publishes('pass'));
    const copies = new FakeEc2('eu-west-1');
    const result = await buildAmi(input(ec2, { copyTo: ['eu-west-1'], regionApi: () => copies }));
    if (result.status !== 'vetted') throw new Error(result.status);
    expect(result.record.copies).toEqual([
      {
        region: 'eu-west-1',
        amiId: `ami-copy-${result.record.amiId}`,
        snapshotIds: [`snap-copy-${result.record.amiId}`],
      },
    ]);
    expect(copies.images.get(result.record.copies[0].amiId)!.tags).toMatchObject({
      [TAG.vetted]: 'true',
      [TAG.target]: 'testos1-amd64',
    });
  });

  it("names the way out when the builder's instance profile does not exist, and leaves no group behind", async () => {
    const ec2 = region();
    ec2.runInstance = async () => {
      throw new Ec2Error('RunInstances', 'NoSuchEntity', 'Instance profile bake-builder-testos1-amd64 not found');
    };
    await expect(buildAmi(input(ec2))).rejects.toMatchObject({
      exitCode: ExitCode.Unavailable,
      hint: expect.stringContaining('pass --instance-profile'),
    });
    expect(ec2.groups.size).toBe(0);
  });

  it('uses a given security group and instance profile instead of its own', async () => {
    const ec2 = region(publishes('pass'));
    await buildAmi(input(ec2, { securityGroupId: 'sg-given', instanceProfile: 'my-profile' }));
    expect(ec2.calls).not.toContain('createSecurityGroup');
    expect(ec2.launches[0]).toMatchObject({ securityGroupIds: ['sg-given'], instanceProfile: 'my-profile' });
  });
});
