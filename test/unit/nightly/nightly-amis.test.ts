import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../../bake/common/errors';
import { silentLogger } from '../../../bake/common/log';
import { bakeNightlyAmis, type NightlyAmiInput } from '../../../bake/nightly/nightly-amis';
import type { BakedTarget, TargetResult, TargetStatus } from '../../../bake/pipeline/types';
import { planTarget } from '../../../bake/render/plan-target';
import type { Plan, PlanContext } from '../../../bake/plan/types';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import type { CatalogStore } from '../../../bake/registry/types';
import { TAG } from '../../../bake/vm/ec2/bake-tags';
import { decodeUserData } from '../../../bake/vm/ec2/user-data';
import { buildReleases, makeTestKey, NOW, TEST_POLICY, tempDir, writeMirror } from '../golang/go-fixtures';
import { handMadeTarget } from '../render/render-fixtures';
import { catalogAmi, targetCatalog } from '../registry/catalog-fixtures';
import { FakeEc2 } from '../vm/ec2/fake-ec2';

// Real planning (planVmBuild re-plans the target) from a signed offline mirror in a temp dir:
// no network, no stub of the product's own steps.
const target = handMadeTarget();
const GO_BASE_URL = 'https://go.example.internal/dl/';
let ctx: PlanContext;
let plan: Plan;

beforeAll(async () => {
  const key = await makeTestKey('Site Mirror');
  const mirror = await writeMirror(
    join(await tempDir('mirror'), 'mirror'),
    await buildReleases([{ version: 'go1.22.12', arches: ['amd64'] }]),
    key,
  );
  const keyFile = join(await tempDir('keys'), 'mirror.asc');
  await fs.writeFile(keyFile, key.armoredPublicKey);
  ctx = {
    recipesDir: 'recipes',
    cacheDir: await tempDir('cache'),
    policy: TEST_POLICY,
    now: NOW,
    logger: silentLogger,
    goSource: ['mirror'],
    goMirror: mirror.dir,
    trustKeys: [keyFile],
    env: {},
  };
  plan = (await planTarget(ctx, target)).plan;
});

/** A region whose builders publish `verdict` on their third look, as the provisioning script would at its end. */
function region(verdict: 'pass' | 'fail'): FakeEc2 {
  const ec2 = new FakeEc2();
  ec2.addImage({
    imageId: 'ami-source',
    name: 'testos-1-20250101',
    architecture: 'x86_64',
    ownerId: '123456789012',
    creationDate: '2025-01-01T00:00:00Z',
    rootDeviceName: '/dev/xvda',
  });
  ec2.builder = (instance, describes) => {
    if (describes >= 3)
      Object.assign(instance.tags, {
        [TAG.verdict]: verdict,
        [TAG.verdictSummary]: verdict === 'pass' ? '11/11 passed' : '10/11 passed',
      });
  };
  return ec2;
}

const baked = (status: TargetStatus, withPlan = true): BakedTarget => ({
  result: { target: target.name, status, images: [], durationMs: 1 },
  ...(withPlan ? { plan } : {}),
});

async function run(
  ec2: FakeEc2,
  targets: BakedTarget[],
  catalogs: CatalogStore[],
  overrides: Partial<NightlyAmiInput> = {},
): Promise<TargetResult[]> {
  await bakeNightlyAmis({
    baked: targets,
    ctx,
    ec2,
    regionApi: (r) => new FakeEc2(r),
    catalogs,
    goBaseUrl: GO_BASE_URL,
    copyTo: [],
    timeouts: { provisionMs: 2000, consoleMs: 20, stateMs: 2000, pollMs: 1 },
    lockDir: await tempDir('locks'),
    now: NOW,
    logger: silentLogger,
    ...overrides,
  });
  return targets.map((t) => t.result);
}

const catalogs = async (n: number) =>
  Promise.all(Array.from({ length: n }, async () => new LocalCatalogStore(await tempDir('catalog'))));

test('an AMI already recorded for these inputs in this region is skipped: no EC2 call', async () => {
  const [catalog] = await catalogs(1);
  await catalog.write(
    targetCatalog(
      target.name,
      [],
      [
        catalogAmi(1, {
          target: target.name,
          inputsDigest: plan.inputsDigest,
          region: 'us-east-1',
          amiId: 'ami-recorded',
        }),
      ],
    ),
  );
  const ec2 = region('pass');
  const [result] = await run(ec2, [baked('skipped')], [catalog]);
  expect(result).toMatchObject({ status: 'skipped', ami: { status: 'skipped', amiId: 'ami-recorded' } });
  expect(ec2.calls).toEqual([]);
});

test('a revoked AMI of these inputs does not count: a new one is baked, the revoked one stays on record', async () => {
  const [catalog] = await catalogs(1);
  const revoked = { at: '2026-02-01T00:00:00.000Z', by: 'alice', reason: 'bad proxy' };
  await catalog.write(
    targetCatalog(
      target.name,
      [],
      [
        catalogAmi(1, {
          target: target.name,
          inputsDigest: plan.inputsDigest,
          region: 'us-east-1',
          amiId: 'ami-revoked',
          revoked,
        }),
      ],
    ),
  );
  const [result] = await run(region('pass'), [baked('skipped')], [catalog]);
  expect(result.ami).toMatchObject({ status: 'vetted', amiId: expect.stringMatching(/^ami-/) });
  expect(result.ami!.amiId).not.toBe('ami-revoked');
  const amis = (await catalog.read(target.name))!.amis!;
  expect(amis.map((a) => [a.amiId === 'ami-revoked', !!a.revoked])).toEqual([
    [true, true],
    [false, false],
  ]);
});

test(
  'an AMI recorded for other inputs, or in another region, does not count: ' +
    'a new one is baked and recorded in every catalog',
  async () => {
    const [main, local] = await catalogs(2);
    const elsewhere = [
      catalogAmi(1, {
        target: target.name,
        inputsDigest: plan.inputsDigest,
        region: 'eu-west-1',
        amiId: 'ami-eu',
        createdAt: '2020-01-01T00:00:00.000Z',
      }),
      catalogAmi(2, {
        target: target.name,
        region: 'us-east-1',
        amiId: 'ami-old-inputs',
        createdAt: '2020-01-02T00:00:00.000Z',
      }),
    ];
    await main.write(targetCatalog(target.name, [], elsewhere));
    const ec2 = region('pass');
    const [result] = await run(ec2, [baked('vetted')], [main, local]);
    expect(result).toMatchObject({
      status: 'vetted',
      ami: { status: 'vetted', amiId: expect.stringMatching(/^ami-/) },
    });
    const amiId = result.ami!.amiId!;
    expect(ec2.images.get(amiId)!.tags).toMatchObject({ [TAG.vetted]: 'true', [TAG.inputsDigest]: plan.inputsDigest });
    expect((await main.read(target.name))!.amis!.map((a) => a.amiId)).toEqual(['ami-eu', 'ami-old-inputs', amiId]);
    expect((await local.read(target.name))!.amis).toEqual([
      expect.objectContaining({
        amiId,
        region: 'us-east-1',
        inputsDigest: plan.inputsDigest,
        goVersion: '1.22.12',
        report: { passed: true, summary: '11/11 passed' },
      }),
    ]);
    // The builder downloads Go from the given base URL.
    const script = decodeUserData(Buffer.from(ec2.launches[0].userDataBase64, 'base64'));
    expect(script).toContain(`https://go.example.internal/dl/${plan.go.filename}`);
  },
);

test('a target whose images failed (or that has no plan) gets no AMI', async () => {
  const [catalog] = await catalogs(1);
  const ec2 = region('pass');
  const results = await run(
    ec2,
    [baked('rejected'), baked('failed'), baked('unavailable'), baked('vetted', false)],
    [catalog],
  );
  expect(results.map((r) => [r.status, r.ami])).toEqual([
    ['rejected', undefined],
    ['failed', undefined],
    ['unavailable', undefined],
    ['vetted', undefined],
  ]);
  expect(ec2.calls).toEqual([]);
  expect(await catalog.read(target.name)).toBeUndefined();
});

test('a rejected verdict marks the target failed, and nothing is imaged or recorded', async () => {
  const [main, local] = await catalogs(2);
  const ec2 = region('fail');
  const [result] = await run(ec2, [baked('vetted')], [main, local]);
  expect(result).toMatchObject({
    status: 'failed',
    exitCode: ExitCode.CheckFailed,
    ami: { status: 'rejected', message: '10/11 passed' },
    message: 'AMI: AMI rejected by its readiness checks: 10/11 passed',
  });
  expect(ec2.calls).not.toContain('createImage');
  expect(ec2.instances.get('i-1')!.state).toBe('terminated');
  expect(await main.read(target.name)).toBeUndefined();
  expect(await local.read(target.name)).toBeUndefined();
});

test(
  'without a URL builders can download Go from, ' + 'the target fails with the flag to pass, before any EC2 call',
  async () => {
    const [catalog] = await catalogs(1);
    const ec2 = region('pass');
    const [result] = await run(ec2, [baked('vetted')], [catalog], { goBaseUrl: undefined });
    expect(result).toMatchObject({
      status: 'failed',
      exitCode: ExitCode.Usage,
      ami: { status: 'failed', message: expect.stringContaining('pass --ami-go-base-url') },
    });
    expect(ec2.calls).toEqual([]);
  },
);
