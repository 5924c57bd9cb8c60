import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import {
  DescribeInstancesCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { createLogger } from '../../bake/common/log';
import { sha256Hex } from '../../bake/common/sha256';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { planTarget } from '../../bake/render/plan-target';
import type { PlannedTarget } from '../../bake/render/types';
import { ContainerDriver } from '../../bake/readiness/drivers/container-driver';
import { OutputCollector } from '../../bake/readiness/drivers/output-collector';
import { removeReadinessContainers } from '../../bake/readiness/drivers/leftover-containers';
import { goBinarySha256 } from '../../bake/readiness/go-binary-hash';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import { BASELINE_BEGIN, FAILURE_MARK, RESULT_BEGIN, TAG } from '../../bake/vm/ec2/bake-tags';
import { parseConsoleResult } from '../../bake/vm/ec2/host-result';
import { parseConsoleBaseline } from '../../bake/vm/host/host-baseline';
import { renderProvisionScript } from '../../bake/vm/provision/provision-script';
import { verifyHost } from '../../bake/vm/host/verify-host';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * The provisioning script of debian12-amd64 on a container of the bootstrapped Debian 12 base,
 * run as root with the host's network (apt reaches Debian's archive, and the script reaches a
 * stand-in metadata service and moto's EC2 API to publish its verdict). systemd does not run
 * in a container, so units are checked by file inspection, as the script and checks do there.
 */
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const runId = `it-vm-${randomBytes(4).toString('hex')}`;
const SECRET = `test-secret-${randomBytes(8).toString('hex')}/+=`;
const SCRIPT = '/root/provision.sh';
let planned: PlannedTarget;
let script: string;
let base: string;
let host: Dockerode.Container;
let committed: string | undefined;
let ec2: EC2Client;
let imds: { server: Server; url: string; instanceId: string };
const containers: Dockerode.Container[] = [];
const instances: string[] = [];

beforeAll(async () => {
  const target = expandTargets((await loadRecipes('recipes')).recipes).find((t) => t.name === 'debian12-amd64')!;
  const ctx = {
    recipesDir: 'recipes',
    cacheDir: testBakeCacheDir(),
    policy: await loadVersionPolicy('recipes'),
    now: new Date(),
    logger,
    goSource: ['debian' as const],
    trustKeys: [],
    env: process.env,
  };
  planned = await planTarget(ctx, target);
  base = (await ensureBaseImage(target, engine, { cacheDir: testBakeCacheDir(), logger })).imageRef;
  ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: services().moto.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  imds = await startFakeMetadata(await launchInstance());
  script = renderProvisionScript({
    target,
    env: planned.plan.env,
    go: planned.plan.go,
    goBinarySha256: await goBinarySha256(planned.dist.path),
    ec2Endpoint: services().moto.endpoint,
  });
  host = await startHost(base, await fs.readFile(planned.dist.path));
});

afterAll(async () => {
  imds?.server.close();
  for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
  if (committed) await engine.removeImage(committed);
  if (instances.length) await ec2.send(new TerminateInstancesCommand({ InstanceIds: instances }));
  expect(await removeReadinessContainers(engine.docker, runId)).toEqual([]);
});

describe('the provisioning script of debian12-amd64 in a container of the bootstrapped base', () => {
  let first: ExecResult;

  test(
    'installs Go, the environment files, the build user and the units, ' +
      'disables what the recipe disables; its host checks pass',
    async () => {
      // A service the recipe names as unneeded, installed and enabled as a distribution would ship it.
      await exec(host, [
        'sh',
        '-c',
        'printf "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n" ' +
          '>/lib/systemd/system/postfix.service && mkdir -p /etc/systemd/system/multi-user.target.wants && ' +
          'ln -s /lib/systemd/system/postfix.service /etc/systemd/system/multi-user.target.wants/',
      ]);
      first = await exec(host, ['bash', SCRIPT], { BAKE_IMDS: imds.url });
      expect({ exit: first.exitCode, stderr: first.exitCode === 0 ? '' : first.stderr.slice(-3000) }).toEqual({
        exit: 0,
        stderr: '',
      });
      expect(first.stdout).toContain(`installed Go ${planned.plan.go.version}`);

      const parsed = parseConsoleResult(first.stdout);
      expect(parsed?.result.results.filter((r) => r.status !== 'pass')).toEqual([]);
      expect(parsed?.result).toMatchObject({ target: 'debian12-amd64', passed: true, summary: '11/11 passed' });
      expect(parsed?.result.results.map((r) => r.id)).toEqual([
        'go.version',
        'go.login-shell',
        'go.env',
        'goroot.integrity',
        'tls.ca-bundle',
        'vm.unit-file',
        'vm.go-env-service',
        'vm.chrony',
        'vm.services',
        'vm.selinux',
        'vm.default-go-env',
      ]);
      // The result file holds the very line the console showed.
      const file = (await exec(host, ['cat', '/var/lib/bake/readiness.json'])).stdout;
      expect(sha256Hex(file)).toBe(parsed!.sha256);

      expect((await exec(host, ['/usr/local/go/bin/go', 'version'])).stdout.trim()).toBe(
        `go version go${planned.plan.go.version} linux/amd64`,
      );
      const links = await exec(host, [
        'sh',
        '-c',
        'readlink /etc/systemd/system/multi-user.target.wants/go-env.service; ' +
          'ls /etc/systemd/system/multi-user.target.wants/; id gobuild',
      ]);
      expect(links.stdout).toMatch(/^\/etc\/systemd\/system\/go-env\.service\n/);
      expect(links.stdout).toContain('chrony.service');
      expect(links.stdout).not.toContain('postfix.service');
      expect(first.stdout).toContain('changed: disabled postfix.service');
      expect(links.stdout).toContain('uid=10001(gobuild) gid=10001(gobuild)');
      // The daily drift check: its timer enabled, the baseline recorded before the checks ran.
      const timer = await exec(host, ['readlink', '/etc/systemd/system/timers.target.wants/bake-drift.timer']);
      expect(timer.stdout.trim()).toBe('/etc/systemd/system/bake-drift.timer');
      expect(first.stdout.indexOf(BASELINE_BEGIN)).toBeGreaterThan(-1);
      expect(first.stdout.indexOf(BASELINE_BEGIN)).toBeLessThan(first.stdout.indexOf(RESULT_BEGIN));
      expect(parseConsoleBaseline(first.stdout)?.values['vm.service:bake-drift.timer']).toBe('enabled');
      // No package left a service-start blocker behind.
      expect((await exec(host, ['test', '-e', '/usr/sbin/policy-rc.d'])).exitCode).toBe(1);
    },
  );

  test(
    'publishes its verdict as tags on its own instance through the EC2 API, ' + 'and never prints the credentials',
    async () => {
      const tags = await instanceTags(imds.instanceId);
      expect(tags).toMatchObject({
        [TAG.verdict]: 'pass',
        [TAG.verdictSummary]: '11/11 passed',
        [TAG.verdictSha256]: parseConsoleResult(first.stdout)!.sha256,
      });
      expect(`${first.stdout}${first.stderr}`).not.toContain(SECRET);
      expect(first.stdout).toContain(`verdict pass published as tags on ${imds.instanceId}`);
    },
  );

  test("the host's daily drift check finds it clean and tags its own instance with the verdict", async () => {
    const check = await exec(host, ['/usr/local/sbin/bake-drift', 'check'], { BAKE_IMDS: imds.url });
    expect({ exit: check.exitCode, stderr: check.stderr }).toEqual({ exit: 0, stderr: '' });
    expect(check.stdout).toContain(`drift verdict published as tags on ${imds.instanceId}`);
    expect(JSON.parse((await exec(host, ['cat', '/var/lib/bake/drift.json'])).stdout)).toMatchObject({
      schema: 'bake.drift/v1',
      target: 'debian12-amd64',
      drifted: false,
      findings: [],
    });
    expect(await instanceTags(imds.instanceId)).toMatchObject({
      [TAG.drift]: 'clean',
      [TAG.driftDetail]: expect.stringMatching(/^0 findings at \d{4}-/),
    });
    expect(`${check.stdout}${check.stderr}`).not.toContain(SECRET);
  });

  test('the readiness suite of kind vm passes on the provisioned host (ContainerDriver playing the host)', async () => {
    committed = (await host.commit({ repo: `bake-test-${runId}`, tag: 'provisioned' })).Id as string;
    const driver = await ContainerDriver.start(engine.docker, committed, { runId, logger });
    const report = await verifyHost({
      host: driver,
      ref: `container ${runId}`,
      plan: planned.plan,
      goArchivePath: planned.dist.path,
      now: new Date(),
      logger,
    }).finally(() => driver.close());
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.artifact.kind).toBe('vm');
    expect(report.results.map((r) => r.id)).toEqual([
      'go.version',
      'go.env',
      'go.login-shell',
      'goroot.integrity',
      'binary.static',
      'tls.ca-bundle',
      'vm.unit-file',
      'vm.go-env-service',
      'vm.default-go-env',
      'vm.chrony',
      'vm.services',
      'vm.selinux',
    ]);
  });

  test('run a second time, it changes nothing and says so', async () => {
    const before = await snapshot(host);
    const again = await exec(host, ['bash', SCRIPT], { BAKE_IMDS: imds.url });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('bake-provision: no changes: this host already is debian12-amd64');
    expect(again.stdout).not.toContain('changed:');
    expect(await snapshot(host)).toEqual(before);
    expect(parseConsoleResult(again.stdout)?.result.passed).toBe(true);
  });

  test('a corrupted Go archive stops it with the failure marker, installs nothing and publishes "fail"', async () => {
    const tarball = await fs.readFile(planned.dist.path);
    tarball[tarball.length >> 1] ^= 0xff;
    const broken = await startHost(committed!, tarball);
    await exec(broken, ['rm', '-rf', '/usr/local/go', '/var/lib/bake/go.sha256']);
    const other = await startFakeMetadata(await launchInstance());
    try {
      const run = await exec(broken, ['bash', SCRIPT], { BAKE_IMDS: other.url });
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toContain(FAILURE_MARK);
      expect(run.stdout).not.toContain(RESULT_BEGIN);
      expect(run.stderr).toContain(`the verified ${planned.plan.go.filename} has ${planned.plan.go.sha256}`);
      const marker = await exec(broken, ['cat', '/var/lib/bake/provision.failed']);
      expect(marker).toMatchObject({
        exitCode: 0,
        stdout: expect.stringContaining(`has sha256 ${sha256Hex(tarball)}`),
      });
      expect((await exec(broken, ['test', '-e', '/usr/local/go'])).exitCode).toBe(1);
      expect(await instanceTags(other.instanceId)).toMatchObject({
        [TAG.verdict]: 'fail',
        [TAG.verdictSummary]: expect.stringContaining('provisioning failed'),
      });
    } finally {
      other.server.close();
    }
  });
});

interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A container of `image` as the host: root, the machine's network, the script and the Go archive copied in. */
async function startHost(image: string, goArchive: Buffer): Promise<Dockerode.Container> {
  const container = await engine.docker.createContainer({
    Image: image,
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    User: 'root',
    Labels: { 'io.bake.test': runId },
    HostConfig: { NetworkMode: 'host' },
  });
  containers.push(container);
  await container.start();
  const pack = tar.pack();
  pack.entry({ name: SCRIPT.slice(1), mode: 0o700 }, script);
  pack.entry({ name: `var/cache/bake/${planned.plan.go.filename}`, mode: 0o644 }, goArchive);
  pack.finalize();
  await container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: '/' });
  return container;
}

async function exec(
  container: Dockerode.Container,
  cmd: string[],
  env: Record<string, string> = {},
): Promise<ExecResult> {
  const run = await container.exec({
    Cmd: cmd,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    User: 'root',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await run.start({ hijack: true, stdin: false })) as unknown as Readable;
  const stdout = new OutputCollector(32 * 1024 * 1024);
  const stderr = new OutputCollector(32 * 1024 * 1024);
  engine.docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise((resolve, reject) => stream.on('end', resolve).on('close', resolve).on('error', reject));
  let info = await run.inspect();
  while (info.Running) info = await new Promise((r) => setTimeout(r, 20)).then(() => run.inspect());
  if (process.env.BAKE_TEST_VERBOSE) process.stderr.write(stdout.text() + stderr.text());
  return { exitCode: info.ExitCode ?? -1, stdout: stdout.text(), stderr: stderr.text() };
}

/** Everything the script manages, with owners, modes and mtimes: equal means nothing was touched. */
async function snapshot(container: Dockerode.Container): Promise<string> {
  const paths =
    '/usr/local/go /etc/profile.d /etc/default/go-env /etc/systemd /home/gobuild ' +
    '/etc/passwd /etc/group /etc/shadow /var/lib/dpkg/status /var/lib/bake/go.sha256';
  const out = await exec(container, ['sh', '-c', `find ${paths} -printf '%p %y %m %u %g %s %T@ %l\\n' | sort`]);
  expect(out.exitCode).toBe(0);
  return out.stdout;
}

async function launchInstance(): Promise<string> {
  const image = (
    await ec2.send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }),
    )
  ).Images![0].ImageId!;
  const id = (
    await ec2.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, InstanceType: 't3.medium' }))
  ).Instances![0].InstanceId!;
  instances.push(id);
  return id;
}

async function instanceTags(instanceId: string): Promise<Record<string, string>> {
  const found = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Object.fromEntries((found.Reservations![0].Instances![0].Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

/** IMDSv2 as a builder sees it: a token, its instance id and region, and role credentials. */
async function startFakeMetadata(instanceId: string): Promise<{ server: Server; url: string; instanceId: string }> {
  const token = randomBytes(8).toString('hex');
  const credentials = JSON.stringify(
    { Code: 'Success', AccessKeyId: 'ASIATESTBUILDER', SecretAccessKey: SECRET, Token: `session-${token}` },
    null,
    2,
  );
  const answers: Record<string, string> = {
    '/latest/meta-data/instance-id': instanceId,
    '/latest/meta-data/placement/region': 'us-east-1',
    '/latest/meta-data/iam/security-credentials/': 'bake-builder-debian12-amd64',
    '/latest/meta-data/iam/security-credentials/bake-builder-debian12-amd64': credentials,
  };
  const server = createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end(token);
    const answer = answers[req.url ?? ''];
    if (req.headers['x-aws-ec2-metadata-token'] !== token || answer === undefined) return void res.writeHead(401).end();
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, instanceId };
}
