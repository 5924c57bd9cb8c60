import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import type { Baseline, DriftReport } from '../../bake/drift/types';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import { goBinarySha256 } from '../../bake/readiness/go-binary-hash';
import { withAmi } from '../../bake/registry/catalog-entry';
import { localCatalog } from '../../bake/registry/open-registry';
import { updateCatalog } from '../../bake/registry/update-catalog';
import type { PlannedTarget } from '../../bake/render/types';
import { catalogAmi } from '../../bake/vm/catalog-ami';
import { parseConsoleBaseline } from '../../bake/vm/host/host-baseline';
import { renderProvisionScript } from '../../bake/vm/provision/provision-script';
import { bake } from '../support/bake-cli';
import { execIn } from '../support/container-exec';
import { freePort } from '../support/services/free-port';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { planShippedTarget } from '../support/planned-target';

/**
 * `bake drift --host` over real ssh, against a container of the bootstrapped Debian 12 base
 * playing a VM: Debian's openssh-server and sudo, then the real provisioning script of
 * debian12-amd64 (which records the host's baseline and installs the daily drift timer). The
 * baseline the script printed is recorded for an AMI of the target the way the AMI pipeline
 * records what a builder's console shows; the host's own timer runs the same comparison.
 */
const run = randomBytes(3).toString('hex');
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const AMI = 'ami-0b5e1c0ffee5eed00';
// No metadata service answers here: the timer keeps its verdict in /var/lib/bake only.
const NO_IMDS = { BAKE_IMDS: 'http://127.0.0.1:9' };
let scratch: string;
let state: string;
let planned: PlannedTarget;
let host: Dockerode.Container;
let sshOptions: string[];
let baseline: Baseline;

const root = async (cmd: string, env: Record<string, string> = {}) =>
  execIn(engine.docker, host, ['bash', '-c', cmd], { env });
const driftHost = (stateDir: string, ...extra: string[]) =>
  bake(
    [
      'drift',
      '--host',
      'root@127.0.0.1',
      '--target',
      'debian12-amd64',
      ...sshOptions.flatMap((o) => ['--ssh-option', o]),
      '--json',
      ...extra,
    ],
    { BAKE_STATE_DIR: stateDir, BAKE_CACHE_DIR: testBakeCacheDir() },
  );
const keysOf = (r: DriftReport) => r.findings.map((f) => [f.severity, f.key, f.subject]).sort();

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-drift-host-'));
  state = join(scratch, 'state');
  planned = await planShippedTarget('debian12-amd64', logger);
  const target = planned.plan.target;
  const base = (await ensureBaseImage(target, engine, { cacheDir: testBakeCacheDir(), logger })).imageRef;
  const script = renderProvisionScript({
    target,
    env: planned.plan.env,
    go: planned.plan.go,
    goBinarySha256: await goBinarySha256(planned.dist.path),
  });
  host = await engine.docker.createContainer({
    Image: base,
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    User: 'root',
    Labels: { 'io.bake.test': run },
    HostConfig: { NetworkMode: 'host' },
  });
  await host.start();
  const pack = tar.pack();
  pack.entry({ name: 'root/provision.sh', mode: 0o700 }, script);
  pack.entry({ name: `var/cache/bake/${planned.plan.go.filename}`, mode: 0o644 }, await fs.readFile(planned.dist.path));
  pack.finalize();
  await host.putArchive(pack as unknown as NodeJS.ReadableStream, { path: '/' });

  // A host reachable by ssh, as every VM is: sshd on the machine's loopback, a key of this test's own.
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch, 'id')]);
  const port = await freePort();
  const pub = await fs.readFile(join(scratch, 'id.pub'), 'utf8');
  const sshd = await root(
    'set -e; printf "#!/bin/sh\\nexit 101\\n" >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; ' +
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive ' +
      'apt-get install -y -qq --no-install-recommends openssh-server sudo >/dev/null; ' +
      'rm -f /usr/sbin/policy-rc.d; ssh-keygen -A; mkdir -p /run/sshd /root/.ssh; chmod 700 /root/.ssh; ' +
      `printf '%s' '${pub.trim()}' >/root/.ssh/authorized_keys; chmod 600 /root/.ssh/authorized_keys; ` +
      `/usr/sbin/sshd -p ${port} -o ListenAddress=127.0.0.1 ` +
      '-o PasswordAuthentication=no -o PermitRootLogin=prohibit-password',
  );
  expect({ exit: sshd.exitCode, stderr: sshd.exitCode === 0 ? '' : sshd.stderr.slice(-2000) }).toEqual({
    exit: 0,
    stderr: '',
  });
  sshOptions = [
    `Port=${port}`,
    `IdentityFile=${join(scratch, 'id')}`,
    'IdentitiesOnly=yes',
    'StrictHostKeyChecking=no',
    'UserKnownHostsFile=/dev/null',
    'LogLevel=ERROR',
  ];

  const provisioned = await root('bash /root/provision.sh', NO_IMDS);
  expect({
    exit: provisioned.exitCode,
    stderr: provisioned.exitCode === 0 ? '' : provisioned.stderr.slice(-3000),
  }).toEqual({
    exit: 0,
    stderr: '',
  });
  // What the AMI pipeline does with a builder's console: the baseline block, into the catalog's AMI record.
  baseline = parseConsoleBaseline(provisioned.stdout)!;
  expect(baseline).toBeDefined();
  await updateCatalog(
    localCatalog(state),
    'debian12-amd64',
    (c) =>
      withAmi(
        c,
        catalogAmi({
          schema: 'bake.ami/v1',
          target: 'debian12-amd64',
          region: 'us-east-1',
          amiId: AMI,
          name: `bake-debian12-amd64-${run}`,
          snapshotIds: [],
          sourceAmi: 'ami-00000000000000000',
          goVersion: planned.plan.go.version,
          goSha256: planned.plan.go.sha256,
          inputsDigest: planned.plan.inputsDigest,
          userDataSha256: 'x',
          report: { passed: true, summary: '11/11 passed', source: 'console' },
          createdAt: new Date().toISOString(),
          copies: [],
          baseline,
        }),
      ),
    { lockDir: join(state, 'locks'), logger, now: new Date() },
  );
});

afterAll(async () => {
  await host?.remove({ force: true }).catch(() => undefined);
  await fs.rm(scratch, { recursive: true, force: true });
});

test('provisioning recorded the baseline and installed the daily drift timer, which finds the host clean', async () => {
  expect(baseline.values['vm.service:bake-drift.timer']).toBe('enabled');
  expect(baseline.values['vm.service:chrony.service']).toBe('enabled');
  expect(baseline.values['env:GOSUMDB']).toBe('sum.golang.org');
  expect(baseline.values['go.env.login:GOPROXY']).toBe('https://proxy.golang.org,direct');
  const link = await root('readlink /etc/systemd/system/timers.target.wants/bake-drift.timer');
  expect(link.stdout.trim()).toBe('/etc/systemd/system/bake-drift.timer');
  const check = await root('/usr/local/sbin/bake-drift check', NO_IMDS);
  expect({ exit: check.exitCode, stderr: check.stderr }).toEqual({ exit: 0, stderr: '' });
  const verdict = JSON.parse((await root('cat /var/lib/bake/drift.json')).stdout) as DriftReport;
  expect(verdict).toMatchObject({ schema: 'bake.drift/v1', target: 'debian12-amd64', drifted: false, findings: [] });
});

test('bake drift --host: the host as provisioned matches the baseline the catalog recorded for the AMI', async () => {
  const r = await driftHost(state);
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(r.stdout) as DriftReport;
  expect(report).toMatchObject({
    subject: { kind: 'host', ref: 'root@127.0.0.1' },
    drifted: false,
    baseline: { kind: 'vm', source: localCatalog(state).location, artifact: `${AMI} (us-east-1)` },
  });
});

describe('a host that drifted', () => {
  let report: DriftReport;
  let code: number | null;

  beforeAll(async () => {
    const planted = await root(
      'set -e; sed -i "s/^GOSUMDB=.*/GOSUMDB=off/" /etc/default/go-env; ' +
        'chmod o+w /usr/local/go/src/fmt/print.go; rm /etc/systemd/system/multi-user.target.wants/chrony.service',
    );
    expect(planted.exitCode).toBe(0);
    const r = await driftHost(state, '--markdown', join(scratch, 'host.md'));
    code = r.code;
    report = JSON.parse(r.stdout) as DriftReport;
  });

  test('over ssh: a policy value of services, a loosened GOROOT file, a disabled service (exit 5)', () => {
    expect(code).toBe(ExitCode.CheckFailed);
    expect(keysOf(report)).toEqual([
      ['integrity-changed', 'file:/etc/default/go-env', '/etc/default/go-env'],
      ['permission-loosened', 'tree:/usr/local/go', '/usr/local/go/src/fmt/print.go'],
      ['policy-changed', 'env:GOSUMDB', 'GOSUMDB in the process environment'],
      ['policy-changed', 'go.env:GOSUMDB', 'GOSUMDB in go env of the build user'],
      ['policy-changed', 'vm.service:chrony.service', 'the unit chrony.service'],
    ]);
    const gosumdb = report.findings.find((f) => f.key === 'go.env:GOSUMDB')!;
    expect(gosumdb).toMatchObject({
      expected: 'sum.golang.org',
      actual: 'off',
      evidence: expect.stringContaining('ssh root@127.0.0.1'),
    });
    expect(report.findings.find((f) => f.key === 'vm.service:chrony.service')).toMatchObject({
      expected: 'enabled',
      actual: 'disabled',
    });
  });

  test("the host's own daily check finds the same drift and records it in /var/lib/bake/drift.json", async () => {
    const check = await root('/usr/local/sbin/bake-drift check', NO_IMDS);
    expect(check.exitCode).toBe(ExitCode.CheckFailed);
    const verdict = JSON.parse((await root('cat /var/lib/bake/drift.json')).stdout) as DriftReport;
    expect(verdict.drifted).toBe(true);
    expect(verdict.findings.map((f) => [f.severity, f.key]).sort()).toEqual(
      report.findings.map((f) => [f.severity, f.key]).sort(),
    );
    expect(check.stdout).toContain('no instance metadata service here: drift verdict is in /var/lib/bake only');
  });

  test("with no baseline in the catalog, the host's own copy is the baseline, and the output says so", async () => {
    const empty = join(scratch, 'empty-state');
    const r = await driftHost(empty);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(keysOf(JSON.parse(r.stdout) as DriftReport)).toEqual(keysOf(report));
    expect(r.stderr).toContain(
      'has no baseline for an AMI of debian12-amd64: comparing with the copy root@127.0.0.1 keeps',
    );
  });
});

test('a host that cannot be reached is one line and exit 6', async () => {
  const closed = await freePort();
  const r = await bake(
    [
      'drift',
      '--host',
      'root@127.0.0.1',
      '--target',
      'debian12-amd64',
      '--ssh-option',
      `Port=${closed}`,
      '--ssh-option',
      'ConnectTimeout=5',
    ],
    { BAKE_STATE_DIR: state },
  );
  expect(r.code).toBe(ExitCode.Unavailable);
  expect(r.stderr).toMatch(/^bake: capturing root@127\.0\.0\.1 failed \(exit 255\): .*Connection refused/m);
});
