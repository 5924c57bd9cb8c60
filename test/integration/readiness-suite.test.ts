import { copyFileSync, cpSync, existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import * as tarFs from 'tar-fs';
import { createLogger } from '../../bake/common/log';
import { defaultChecks } from '../../bake/readiness/default-checks';
import { ContainerDriver } from '../../bake/readiness/drivers/container-driver';
import { imageArtifact } from '../../bake/readiness/drivers/image-driver';
import { removeReadinessContainers } from '../../bake/readiness/drivers/leftover-containers';
import { goBinarySha256 } from '../../bake/readiness/go-binary-hash';
import { writeReport } from '../../bake/readiness/report-files';
import { runSuite } from '../../bake/readiness/suite';
import { summaryTable } from '../../bake/readiness/summary-table';
import type { ArtifactKind, ReadinessExpectations, Report } from '../../bake/readiness/types';
import type { Arch, Target } from '../../bake/recipe/types';

/**
 * The readiness suite against real images: a handwritten image of the shape bake builds
 * (fixtures/readiness/Dockerfile) passes every check on amd64 and arm64, and each defect it
 * can switch in fails exactly the check meant to catch it, with evidence.
 */

// Inputs prepared by the integration setup: a real Go 1.22.12 in the official layout, and
// Debian 12 base images built from the archive. Overridable for other layouts.
// Builds under emulation take minutes; a project-level testTimeout is not honoured by Jest.
jest.setTimeout(30 * 60 * 1000);

const GO_DIR = process.env.BAKE_TEST_GO_FIXTURE_DIR ?? join(tmpdir(), 'go-fixture');
const baseImage = (arch: Arch) => `${process.env.BAKE_TEST_BASE_REPO ?? 'bake-test/debian12-base'}:${arch}`;
const goArchive = (arch: Arch) => join(GO_DIR, `go1.22.12.linux-${arch}.tar.gz`);
const FIXTURE = join(__dirname, 'fixtures', 'readiness');
const HOST_ARCH: Arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const REPO = 'bake-test/readiness-fixture';
const runId = `it-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const docker = new Dockerode();
const built: string[] = [];
const timings: string[] = [];

const missing = [GO_DIR, goArchive('amd64'), goArchive('arm64')].filter((p) => !existsSync(p));
if (missing.length) console.warn(`SKIPPED readiness integration tests: Go fixture missing (${missing.join(', ')}); set BAKE_TEST_GO_FIXTURE_DIR`);
const suite = missing.length ? describe.skip : describe;

const policy: Target['env'] = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
  GOPRIVATE: '',
  GONOPROXY: '',
  GONOSUMDB: '',
  GOFLAGS: '-mod=readonly',
  GO111MODULE: 'on',
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
};

async function expectationsFor(arch: Arch, kind: ArtifactKind): Promise<ReadinessExpectations> {
  const home = '/home/gobuild';
  const target = { name: `readiness-fixture-${arch}`, recipe: 'readiness-fixture', family: 'debian', arch, env: policy, checks: { extra: [], skip: [] } } as unknown as Target;
  return {
    target,
    kind,
    goVersion: '1.22.12',
    arch,
    env: {
      GOROOT: '/usr/local/go',
      PATH: `/usr/local/go/bin:${home}/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      GOPATH: `${home}/go`,
      GOCACHE: `${home}/.cache/go-build`,
      GOMODCACHE: `${home}/go/pkg/mod`,
      ...policy,
    },
    goBinarySha256: await goBinarySha256(goArchive(arch)),
    user: { name: 'gobuild', uid: 10001, gid: 10001, home },
    requiredLabels: { 'io.bake.target': 'readiness-fixture', 'io.bake.go.version': '1.22.12' },
    sizeBudgetMB: kind === 'runtime' ? 256 : 1024,
    caBundlePath: '/etc/ssl/certs/ca-certificates.crt',
  };
}

/** Builds one stage of the fixture with BuildKit; resolves to the tag, rejects with the failing step. */
async function buildFixture(arch: Arch, stage: 'toolchain' | 'runtime', variant: string, args: Record<string, string> = {}): Promise<string> {
  for (const a of new Set<Arch>([arch, HOST_ARCH])) {
    await docker.getImage(baseImage(a)).inspect().catch(() => {
      throw new Error(`base image ${baseImage(a)} is missing; the integration setup builds it from Debian's archive`);
    });
  }
  const context = mkdtempSync(join(tmpdir(), 'bake-readiness-ctx-'));
  try {
    cpSync(FIXTURE, context, { recursive: true });
    for (const a of new Set<Arch>([arch, HOST_ARCH])) {
      const src = goArchive(a);
      try {
        linkSync(src, join(context, basename(src)));
      } catch {
        copyFileSync(src, join(context, basename(src)));
      }
    }
    const tag = `${REPO}:${variant}-${stage}-${arch}`;
    const started = Date.now();
    const stream = await docker.buildImage(tarFs.pack(context) as unknown as NodeJS.ReadableStream, {
      version: '2',
      platform: `linux/${arch}`,
      target: stage,
      t: tag,
      buildargs: {
        BASE: baseImage(arch),
        BUILD_BASE: baseImage(HOST_ARCH),
        GO_ARCHIVE: basename(goArchive(arch)),
        BUILD_GO_ARCHIVE: basename(goArchive(HOST_ARCH)),
        ...args,
      },
    } as Dockerode.ImageBuildOptions);
    const events: { error?: string; errorDetail?: { message?: string } }[] = await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res as never))),
    );
    const failed = events.find((e) => e.errorDetail || e.error);
    if (failed) throw new Error(`building ${tag} failed: ${failed.errorDetail?.message ?? failed.error}`);
    built.push(tag);
    timings.push(`build ${tag}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return tag;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

async function verify(tag: string, arch: Arch, kind: ArtifactKind): Promise<Report> {
  const started = Date.now();
  const driver = await ContainerDriver.start(docker, tag, { runId, logger });
  try {
    const report = await runSuite({
      checks: defaultChecks(kind),
      driver,
      expect: await expectationsFor(arch, kind),
      logger,
      artifact: await imageArtifact(docker, tag, kind),
    });
    timings.push(`suite ${tag}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(summaryTable(report));
    return report;
  } finally {
    await driver.close();
  }
}

const failedIds = (r: Report) => r.results.filter((x) => x.status === 'fail').map((x) => x.id);
const result = (r: Report, id: string) => r.results.find((x) => x.id === id)!;

suite('readiness suite on real images', () => {
  beforeAll(async () => {
    await docker.ping().catch((err: Error) => {
      throw new Error(`no Docker engine answers (${err.message}); the integration setup starts one`);
    });
  });

  afterAll(async () => {
    const left = await removeReadinessContainers(docker, runId);
    for (const tag of built) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    console.log(`readiness integration timings:\n${timings.join('\n')}`);
    expect(left).toEqual([]);
  });

  test('the container driver: no network, labeled, files read through symlinks, login shells start clean', async () => {
    const driver = await ContainerDriver.start(docker, baseImage(HOST_ARCH), { runId, logger });
    try {
      expect((await driver.exec(['ls', '/sys/class/net'])).stdout.trim()).toBe('lo');
      const mine = await docker.listContainers({ filters: { label: [`io.bake.readiness=1`, `io.bake.run-id=${runId}`] } });
      expect(mine).toHaveLength(1);
      // /etc/localtime is a symlink in Debian; readFile returns what it points to.
      expect((await driver.readFile('/etc/localtime'))?.subarray(0, 4).toString()).toBe('TZif');
      expect(await driver.readFile('/no/such/file')).toBeUndefined();
      await expect(driver.readFile('/etc')).rejects.toThrow('/etc is a directory, not a file');
      expect((await driver.exec(['no-such-command'])).exitCode).toBeGreaterThanOrEqual(126);
      const as = await driver.exec(['id', '-un'], { user: 'nobody' });
      expect(as).toMatchObject({ exitCode: 0, stdout: 'nobody\n' });
      // The engine gives every exec HOSTNAME; a login session starts without it.
      expect((await driver.exec(['sh', '-c', 'echo "$HOSTNAME"'])).stdout.trim()).not.toBe('');
      const login = await driver.exec(['sh', '-c', 'echo "$HOSTNAME|$HOME|$0"'], { loginShell: true, env: { HOME: '/root' } });
      expect(login.stdout.trim()).toBe('|/root|sh');
    } finally {
      await driver.close();
    }
    expect(await docker.listContainers({ all: true, filters: { label: [`io.bake.run-id=${runId}`] } })).toEqual([]);
  });

  describe.each(['amd64', 'arm64'] as Arch[])('%s', (arch) => {
    test('a well-made toolchain image passes every check, and the reports are written', async () => {
      const tag = await buildFixture(arch, 'toolchain', 'good');
      const report = await verify(tag, arch, 'toolchain');
      expect(failedIds(report)).toEqual([]);
      expect(report.passed).toBe(true);
      expect(report.results.map((r) => r.id)).toEqual(defaultChecks('toolchain').map((c) => c.id));
      expect(report.artifact.platform).toBe(`linux/${arch}`);
      expect(result(report, 'go.version').evidence[0]?.output).toContain(`go1.22.12 linux/${arch}`);
      const dir = mkdtempSync(join(tmpdir(), 'bake-readiness-report-'));
      try {
        const files = await writeReport(dir, report);
        expect(existsSync(files.json) && existsSync(files.junit)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a well-made runtime image passes its own set', async () => {
      const tag = await buildFixture(arch, 'runtime', 'good');
      const report = await verify(tag, arch, 'runtime');
      expect(failedIds(report)).toEqual([]);
      expect(report.results.map((r) => r.id)).toEqual(defaultChecks('runtime').map((c) => c.id));
    });
  });

  describe('each defect fails the check meant to catch it (amd64)', () => {
    test('GOSUMDB missing from the profile script fails go.login-shell', async () => {
      const tag = await buildFixture('amd64', 'toolchain', 'no-gosumdb', { PROFILE_SCRIPT: 'go-env-without-gosumdb.sh' });
      const report = await verify(tag, 'amd64', 'toolchain');
      expect(failedIds(report)).toEqual(['go.login-shell']);
      expect(result(report, 'go.login-shell').reason).toBe('GOSUMDB is not set in the login shell; expected "sum.golang.org"');
      expect(result(report, 'go.login-shell').evidence[1]?.output).toContain('GOSUMDB (unset)');
    });

    test('the default user root fails user.non-root', async () => {
      const tag = await buildFixture('amd64', 'toolchain', 'root', { RUN_AS: 'root' });
      const report = await verify(tag, 'amd64', 'toolchain');
      expect(failedIds(report)).toEqual(['user.non-root']);
      expect(result(report, 'user.non-root').reason).toMatch(/^the image's default user is "root", not gobuild \(10001\)/);
      expect(result(report, 'user.non-root').evidence[1]).toMatchObject({ output: 'exit 0\n0\n0', expected: '10001\n10001' });
    });

    test('a probe built with cgo fails binary.static', async () => {
      let tag: string;
      let standIn = false;
      try {
        tag = await buildFixture('amd64', 'toolchain', 'cgo', { PROBE_CGO: '1' });
      } catch (err) {
        // gcc comes from Debian's archive during the build; without it, ship a dynamic binary.
        console.warn(`SUBSTITUTED cgo probe: it could not be built (${(err as Error).message.split('\n')[0]}); shipping the base's dynamic /bin/true instead`);
        tag = await buildFixture('amd64', 'toolchain', 'cgo', { PROBE_STAGE: 'dynamic-probe' });
        standIn = true;
      }
      const report = await verify(tag, 'amd64', 'toolchain');
      // /bin/true prints no probe report, so tls.ca-bundle cannot see Go load the bundle either.
      expect(failedIds(report)).toEqual(standIn ? ['binary.static', 'tls.ca-bundle'] : ['binary.static']);
      const check = result(report, 'binary.static');
      expect(check.reason).toMatch(/^\/usr\/local\/bin\/bake-probe: has PT_INTERP \/lib64\/ld-linux-x86-64\.so\.2 \(dynamically linked\)/);
      expect(check.evidence.map((e) => e.output).join('\n')).toMatch(/DT_NEEDED=.*libc\.so\.6/);
    });
  });
});
