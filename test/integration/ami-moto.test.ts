import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import type { PlannedTarget } from '../../bake/render/types';
import { goBinarySha256 } from '../../bake/readiness/go-binary-hash';
import type { CatalogAmi } from '../../bake/registry/types';
import type { AmiBuildResult } from '../../bake/vm/ec2/types';
import { TAG } from '../../bake/vm/ec2/bake-tags';
import { renderProvisionScript } from '../../bake/vm/provision/provision-script';
import type { AmiRecord } from '../../bake/vm/types';
import { decodeUserData } from '../../bake/vm/ec2/user-data';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { services } from '../support/test-services';
import { planShippedTarget } from '../support/planned-target';

/**
 * `bake ami debian12-amd64 --endpoint <moto>`: a real EC2 API (moto) that does not run user
 * data, so each test plays the builder's part by publishing its verdict the way the script
 * does (tags on its own instance). Checked through moto's API: the user data, the image and
 * its tags, copies, the builder's end, and retention.
 */
const TARGET = 'debian12-amd64';
const REGION = 'us-east-1';
const GO_URL = 'https://go.example.invalid/dl/go1.27.4.linux-amd64.tar.gz';
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
// Dummy credentials for moto; the SDK's chain must not find anything of the machine's.
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};
let ec2: EC2Client;
let sourceAmi: string;
let scratch: string;
let planned: PlannedTarget;
const vetted: AmiRecord[] = [];

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-ami-test-'));
  ec2 = client(REGION);
  await createInstanceProfile(`bake-builder-${TARGET}`);
  // moto has no Debian 12 image; one of its Ubuntu images stands in, named with --source-ami.
  const images = await ec2.send(
    new DescribeImagesCommand({
      Filters: [
        { Name: 'name', Values: ['ubuntu/images/hvm-ssd/ubuntu-*-amd64-server-*'] },
        { Name: 'architecture', Values: ['x86_64'] },
      ],
    }),
  );
  sourceAmi = images.Images![0].ImageId!;
  planned = await planShippedTarget(TARGET, logger);
});

afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

test(
  'a passing verdict: the builder ran the rendered user data, ' +
    'the image is created, tagged and copied, the builder terminated',
  async () => {
    const run = bakeAmi('pass', ['--copy-to', 'eu-west-1']);
    const builder = await launchedBuilder(run);

    const userData = await ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: builder, Attribute: 'userData' }),
    );
    const launchedWith = decodeUserData(Buffer.from(userData.UserData!.Value!, 'base64'));
    const rendered = renderProvisionScript({
      target: planned.plan.target,
      env: planned.plan.env,
      go: planned.plan.go,
      goBinarySha256: await goBinarySha256(planned.dist.path),
      goUrl: GO_URL,
      ec2Endpoint: services().moto.endpoint,
    });
    expect(launchedWith).toBe(rendered);
    expect(launchedWith).toContain(`GO_SHA256=${planned.plan.go.sha256}`);
    expect(await instanceTags(builder)).toMatchObject({
      [TAG.managed]: 'true',
      [TAG.target]: TARGET,
      [TAG.role]: 'builder',
    });

    await publishVerdict(builder, 'pass', '11/11 passed');
    const done = await run.done;
    expect({ code: done.code, stderr: done.code === 0 ? '' : done.stderr.slice(-3000) }).toEqual({
      code: 0,
      stderr: '',
    });
    const result = JSON.parse(done.stdout) as AmiBuildResult & { files: { userData: string; record: string } };
    expect(result.status).toBe('vetted');
    if (result.status !== 'vetted') return;
    const { record } = result;
    vetted.push(record);
    expect(await fs.readFile(result.files.userData, 'utf8')).toBe(launchedWith);
    expect(JSON.parse(await fs.readFile(result.files.record, 'utf8'))).toEqual(record);
    expect(record).toMatchObject({
      target: TARGET,
      region: REGION,
      sourceAmi,
      goVersion: planned.plan.go.version,
      inputsDigest: planned.plan.inputsDigest,
      report: { passed: true, summary: '11/11 passed', source: 'tag' },
    });

    const image = await describeImage(REGION, record.amiId);
    expect(image.State).toBe('available');
    expect(tagsOf(image)).toMatchObject({
      [TAG.target]: TARGET,
      [TAG.goVersion]: planned.plan.go.version,
      [TAG.inputsDigest]: planned.plan.inputsDigest,
      [TAG.readinessSummary]: '11/11 passed',
      [TAG.vetted]: 'true',
    });
    expect(record.snapshotIds).toEqual(
      image.BlockDeviceMappings!.flatMap((b) => (b.Ebs?.SnapshotId ? [b.Ebs.SnapshotId] : [])),
    );
    const snapshots = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: record.snapshotIds }));
    for (const s of snapshots.Snapshots!)
      expect(tagsOf(s)).toMatchObject({ [TAG.target]: TARGET, [TAG.vetted]: 'true' });

    expect(record.copies).toHaveLength(1);
    const copy = await describeImage('eu-west-1', record.copies[0].amiId);
    expect(copy.State).toBe('available');
    expect(tagsOf(copy)).toMatchObject({
      [TAG.target]: TARGET,
      [TAG.vetted]: 'true',
      [TAG.inputsDigest]: planned.plan.inputsDigest,
    });

    expect(await instanceState(builder)).toBe('terminated');
    expect(await groupsOfRun(builder)).toEqual([]);

    // The catalog records the AMI beside the target's OCI images.
    expect((await catalogAmis()).find((a) => a.amiId === record.amiId)).toMatchObject({
      target: TARGET,
      region: REGION,
      inputsDigest: planned.plan.inputsDigest,
      report: { summary: '11/11 passed' },
      copies: [{ region: 'eu-west-1', amiId: record.copies[0].amiId }],
    });
  },
);

test('a failing verdict creates no image and still terminates the builder', async () => {
  const before = await imagesOfTarget();
  const run = bakeAmi('fail');
  const builder = await launchedBuilder(run);
  await publishVerdict(builder, 'fail', '10/11 passed');
  const done = await run.done;
  expect(done.code).toBe(ExitCode.CheckFailed);
  expect(done.stderr).toContain("the builder's readiness checks failed (host.verdict); no image was made");
  expect((JSON.parse(done.stdout) as AmiBuildResult).status).toBe('rejected');
  expect(await imagesOfTarget()).toEqual(before);
  expect(await instanceState(builder)).toBe('terminated');
  expect(await groupsOfRun(builder)).toEqual([]);
});

test('Ctrl-C while waiting for the verdict terminates the builder and makes no image', async () => {
  const before = await imagesOfTarget();
  const run = bakeAmi('interrupt');
  const builder = await launchedBuilder(run);
  run.child.kill('SIGINT');
  const done = await run.done;
  expect(done.code).toBe(ExitCode.Interrupted);
  expect(done.stderr).toContain(`builder ${builder} terminated`);
  expect(await imagesOfTarget()).toEqual(before);
  expect(await instanceState(builder)).toBe('terminated');
});

test('retention keeps the newest vetted AMI and deletes the snapshots of those it deregisters', async () => {
  for (const keep of [[], ['--keep', '1']]) {
    const run = bakeAmi(`retention-${vetted.length}`, keep);
    await publishVerdict(await launchedBuilder(run), 'pass', '11/11 passed');
    const done = await run.done;
    expect(done.code).toBe(0);
    vetted.push((JSON.parse(done.stdout) as { record: AmiRecord }).record);
  }
  expect(vetted).toHaveLength(3);
  const newest = vetted[2];
  expect(await imagesOfTarget()).toEqual([newest.amiId]);
  for (const gone of vetted.slice(0, 2)) {
    expect(await describeImages(REGION, [gone.amiId])).toEqual([]);
    expect(await existingSnapshots(gone.snapshotIds)).toEqual([]);
  }
  expect(await existingSnapshots(newest.snapshotIds)).toEqual(newest.snapshotIds);
  // Retention works per region: the copy made in eu-west-1 is untouched.
  expect((await describeImage('eu-west-1', vetted[0].copies[0].amiId)).State).toBe('available');
  // The catalog forgets what retention deregistered and keeps the newest.
  const recorded = (await catalogAmis()).map((a) => a.amiId);
  expect(recorded).toContain(newest.amiId);
  for (const gone of vetted.slice(0, 2)) expect(recorded).not.toContain(gone.amiId);
});

test(
  "without --source-ami the recipe's lookup runs, and finds no Debian 12 image on moto: " +
    'one clear line, no builder',
  async () => {
    const before = (await ec2.send(new DescribeInstancesCommand({}))).Reservations?.length ?? 0;
    const run = startBake(
      [
        'ami',
        TARGET,
        '--go-source',
        'debian',
        '--region',
        REGION,
        '--endpoint',
        services().moto.endpoint,
        '--go-url',
        GO_URL,
        '--out',
        join(scratch, 'lookup'),
      ],
      AWS_ENV,
    );
    const done = await run.done;
    expect(done.code).toBe(ExitCode.Unavailable);
    expect(done.stderr).toContain('bake: no x86_64 image named "debian-12-amd64-*" owned by 136693071363 in us-east-1');
    expect(done.stderr).toContain('hint: pass --source-ami');
    expect((await ec2.send(new DescribeInstancesCommand({}))).Reservations?.length ?? 0).toBe(before);
  },
);

/** The AMIs of the target in the catalog bake keeps on this machine (the tests' state directory). */
async function catalogAmis(): Promise<CatalogAmi[]> {
  const r = await bake(['registry', 'ls', '--target', TARGET, '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { amis: CatalogAmi[] }).amis;
}

function bakeAmi(label: string, extra: string[] = []) {
  const args = [
    'ami',
    TARGET,
    '--go-source',
    'debian',
    '--region',
    REGION,
    '--endpoint',
    services().moto.endpoint,
    '--source-ami',
    sourceAmi,
    '--go-url',
    GO_URL,
  ];
  const timing = ['--poll-interval', '0.1', '--timeout', '60', '--console-wait', '0.3'];
  return startBake([...args, ...timing, '--out', join(scratch, label), '--json', ...extra], AWS_ENV);
}

async function launchedBuilder(run: ReturnType<typeof startBake>): Promise<string> {
  await waitForOutput(run, /builder i-[0-9a-f]+ launched/, 120_000);
  return /builder (i-[0-9a-f]+) launched/.exec(run.stderrSoFar())![1];
}

/** What the provisioning script does at its end: tag its own instance with the verdict. */
async function publishVerdict(instanceId: string, status: 'pass' | 'fail', summary: string): Promise<void> {
  const tags = {
    [TAG.verdict]: status,
    [TAG.verdictSummary]: summary,
    [TAG.verdictSha256]: randomBytes(32).toString('hex'),
  };
  await ec2.send(
    new CreateTagsCommand({
      Resources: [instanceId],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

function client(region: string): EC2Client {
  return new EC2Client({
    region,
    endpoint: services().moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

async function describeImages(region: string, ids: string[]): Promise<Image[]> {
  return (await client(region).send(new DescribeImagesCommand({ ImageIds: ids }))).Images ?? [];
}

async function describeImage(region: string, id: string): Promise<Image> {
  const [image] = await describeImages(region, [id]);
  if (!image) throw new Error(`${id} does not exist in ${region}`);
  return image;
}

async function imagesOfTarget(): Promise<string[]> {
  const found = await ec2.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: `tag:${TAG.target}`, Values: [TARGET] }] }),
  );
  return (found.Images ?? []).map((i) => i.ImageId!).sort();
}

async function existingSnapshots(ids: string[]): Promise<string[]> {
  const all = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }));
  return (all.Snapshots ?? []).map((s) => s.SnapshotId!).filter((id) => ids.includes(id));
}

async function instanceTags(instanceId: string): Promise<Record<string, string>> {
  const found = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return tagsOf(found.Reservations![0].Instances![0]);
}

async function instanceState(instanceId: string): Promise<string | undefined> {
  const found = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return found.Reservations![0].Instances![0].State?.Name;
}

/** Security groups left from the builder's run (bake creates one per run, tagged with the run id). */
async function groupsOfRun(instanceId: string): Promise<string[]> {
  const runId = (await instanceTags(instanceId))[TAG.runId];
  const found = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${TAG.runId}`, Values: [runId] }] }),
  );
  return (found.SecurityGroups ?? []).map((g) => g.GroupId!);
}

function tagsOf(resource: { Tags?: { Key?: string; Value?: string }[] }): Record<string, string> {
  return Object.fromEntries((resource.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

/** The stack's instance profile (IAM's query API: the EC2 client is all bake itself needs). */
async function createInstanceProfile(name: string): Promise<void> {
  const response = await fetch(services().moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        `AWS4-HMAC-SHA256 Credential=testing/20250101/${REGION}/iam/aws4_request, ` + 'SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Action: 'CreateInstanceProfile', InstanceProfileName: name, Version: '2010-05-08' }),
  });
  const text = await response.text();
  if (!response.ok && !text.includes('EntityAlreadyExists'))
    throw new Error(`CreateInstanceProfile: ${response.status} ${text.slice(0, 300)}`);
}
