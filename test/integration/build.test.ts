import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { sha256File } from '../../bake/common/sha256';
import { EMPTY_LAYER } from '../../bake/engine/build/stage-config';
import { bakeTarget } from '../../bake/pipeline/bake-target';
import { BUILD_LABELS } from '../../bake/pipeline/types';
import type { TargetResult } from '../../bake/pipeline/types';
import type { Report } from '../../bake/readiness/types';
import type { PlannedTarget, RenderedContext } from '../../bake/render/types';
import { writeContext } from '../../bake/render/write-context';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { imageContents, imageFloor } from '../support/image-contents';
import { runInImage } from '../support/run-in-image';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';
import { planShippedTarget } from '../support/planned-target';
import { testBakeCacheDir } from '../support/test-dirs';

/**
 * `bake build` end to end on the real engine: two architectures baked, checked and tagged;
 * an unchanged rebuild that builds nothing; rendered images with one defect each, which the
 * right check rejects; and interrupts (SIGINT mid-build and mid-suite) that leave no tag and
 * no container behind.
 */
const run = randomBytes(3).toString('hex');
const prefix = (what: string) => `bake-test-${run}-${what}`;
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
let scratch: string;

const common = () => ['--go-source', 'debian', '--engine', services().engine.endpoint];

/** Every tag the engine has under a tag prefix. */
async function tagsUnder(tagPrefix: string): Promise<string[]> {
  const images = await engine.docker.listImages();
  return images
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`${tagPrefix}/`))
    .sort();
}

async function readinessContainers(): Promise<string[]> {
  return (
    await engine.docker.listContainers({ all: true, filters: JSON.stringify({ label: ['io.bake.readiness=1'] }) })
  ).map((c) => c.Id);
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-build-test-'));
});

afterAll(async () => {
  const tags = (await engine.docker.listImages())
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(`bake-test-${run}-`));
  for (const tag of tags) await engine.removeImage(tag);
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('bake build debian12-amd64 debian12-arm64', () => {
  let results: TargetResult[];

  test('bakes both targets: built, every check passed, tagged, reports written', async () => {
    const r = await bake([
      'build',
      'debian12-amd64',
      'debian12-arm64',
      ...common(),
      '--tag-prefix',
      prefix('ok'),
      '--report',
      join(scratch, 'reports'),
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    results = JSON.parse(r.stdout) as TargetResult[];
    expect(results.map((t) => [t.target, t.status])).toEqual([
      ['debian12-amd64', 'vetted'],
      ['debian12-arm64', 'vetted'],
    ]);
    for (const target of results) {
      expect(target.images.map((i) => [i.kind, i.status])).toEqual([
        ['toolchain', 'vetted'],
        ['runtime', 'vetted'],
      ]);
      for (const image of target.images) {
        const report = JSON.parse(await fs.readFile(image.reportFiles!.json, 'utf8')) as Report;
        expect(report.passed).toBe(true);
        expect(report.results.filter((c) => c.status !== 'pass')).toEqual([]);
        expect(await fs.readFile(image.reportFiles!.junit, 'utf8')).toContain('failures="0"');
        // The result names exactly this report; the verdict stays out of the image (a label
        // would give each run a new digest), and the image created time is the plan's epoch.
        expect(image.reportDigest).toBe(`sha256:${(await sha256File(image.reportFiles!.json)).sha256}`);
        const inspected = (await engine.inspectImage(image.imageId))!;
        expect(Object.keys(inspected.labels).filter((k) => k.startsWith('io.bake.readiness'))).toEqual([]);
        expect(Date.parse(inspected.created)).toBeLessThan(Date.now() - 3600_000);
      }
    }
    expect(await readinessContainers()).toEqual([]);
  });

  test.each(['amd64', 'arm64'])(
    'the %s toolchain image runs go for its own platform, under its moving tag',
    async (arch) => {
      const image = `${prefix('ok')}/debian12-go:1.27-${arch}`;
      const out = await runInImage(engine.docker, image, ['go', 'version']);
      expect(out).toMatchObject({ exitCode: 0 });
      expect(out.stdout.trim()).toBe(`go version go1.27.4 linux/${arch}`);
      expect((await engine.inspectImage(image))?.architecture).toBe(arch);
      const tags = await tagsUnder(prefix('ok'));
      expect(tags.filter((t) => t.includes('bake-rejected'))).toEqual([]);
      expect(tags).toEqual(
        expect.arrayContaining([
          `${prefix('ok')}/debian12-go:1.27.4-${arch}`,
          `${prefix('ok')}/debian12-runtime:1.27-${arch}`,
        ]),
      );
    },
  );

  test.each(['amd64', 'arm64'])(
    'the %s runtime image is distroless: CA bundle, zoneinfo, accounts and records only, within 5 MiB',
    async (arch) => {
      const image = `${prefix('ok')}/debian12-runtime:1.27-${arch}`;
      expect((await engine.inspectImage(image))!.sizeBytes).toBeLessThanOrEqual(5 * 1024 * 1024);
      // The container runtime adds /dev, /proc, /sys, /etc/hosts and friends to every export.
      const entries = (await imageContents(engine.docker, image)).filter(
        (e) => !/^\/(dev|proc|sys)(\/|$)|^\/\.dockerenv$|^\/etc\/(hosts|hostname|resolv\.conf|mtab)$/.test(e.path),
      );
      const paths = entries.map((e) => e.path);
      // No program of those names (dpkg's own records directory, /var/lib/dpkg, is meant to be there).
      const programs = entries.filter((e) => e.type !== 'directory').map((e) => e.path);
      expect(programs.filter((p) => /\/(sh|bash|dash|dpkg|apt|apt-get|bake-probe|go)$/.test(p))).toEqual([]);
      expect(
        paths.filter((p) => /^\/(bin|sbin|usr\/bin|usr\/sbin|usr\/local|lib|lib64|usr\/lib\/[^o])/.test(p)),
      ).toEqual([]);
      const find = (path: string) => entries.find((e) => e.path === path);
      expect(find('/etc/ssl/certs/ca-certificates.crt')?.size).toBeGreaterThan(100_000);
      expect(find('/usr/share/zoneinfo/Europe/Berlin')?.content?.subarray(0, 4).toString()).toBe('TZif');
      expect(find('/tmp')?.mode).toBe(0o1777);
      for (const dir of ['/etc', '/etc/ssl/certs', '/usr', '/usr/share/zoneinfo', '/var/lib/dpkg/status.d'])
        expect([dir, find(dir)?.mode]).toEqual([dir, 0o755]);
      expect(find('/home/gobuild')).toMatchObject({ type: 'directory', uid: 10001 });
      expect(find('/etc/passwd')?.content?.toString()).toContain('gobuild:x:10001:10001:');
      expect(find('/var/lib/dpkg/status.d/ca-certificates')?.content?.toString()).toMatch(
        /^Package: ca-certificates$/m,
      );
      expect(find('/var/lib/dpkg/status.d/tzdata')?.content?.toString()).toMatch(/^Status: install ok installed$/m);
      expect(find('/usr/share/doc/tzdata/copyright')).toBeDefined();
    },
  );

  test.each(['amd64', 'arm64'])(
    "the %s toolchain image's first build in a fresh container compiles only the program (std is cached)",
    async (arch) => {
      const image = `${prefix('ok')}/debian12-go:1.27-${arch}`;
      const hello =
        'package main\n\nimport (\n\t"fmt"\n\t"net"\n\t"os/user"\n)\n\n' +
        'func main() {\n\tu, _ := user.Current()\n\tfmt.Println(net.IPv4len, u != nil)\n}\n';
      const script = 'cd "$(mktemp -d)" && printf "%s" "$1" > main.go && go build -v -o hello main.go && ./hello';
      const out = await runInImage(engine.docker, image, ['sh', '-c', script, 'sh', hello]);
      expect(out).toMatchObject({ exitCode: 0, stdout: '4 true\n' });
      // `go build -v` names each package it compiles: here only the program itself.
      expect(out.stderr.trim().split('\n')).toEqual(['command-line-arguments']);
    },
  );

  test('the amd64 toolchain image is within 10 MiB of its floor: slim base, Go tree, packages', async () => {
    const amd64 = results.find((t) => t.target === 'debian12-amd64')!;
    const toolchain = amd64.images.find((i) => i.kind === 'toolchain')!;
    const floor = await imageFloor(engine.docker, {
      image: toolchain.imageId,
      base: amd64.base!.imageRef,
      go: `bake-cache/go:sha256-${(await engine.inspectImage(toolchain.imageId))!.labels['io.bake.go.sha256']}`,
      skip: 'bake-cache',
    });
    // The warm standard-library cache is counted on its own (about 100 MiB).
    expect(floor.skippedBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(floor.imageBytes - floor.skippedBytes).toBeLessThanOrEqual(floor.floorBytes + 10 * 1024 * 1024);
  });

  test('an unchanged second run builds nothing: both targets are up to date', async () => {
    const r = await bake([
      'build',
      'debian12-amd64',
      'debian12-arm64',
      ...common(),
      '--tag-prefix',
      prefix('ok'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const again = JSON.parse(r.stdout) as TargetResult[];
    expect(again.map((t) => t.status)).toEqual(['up-to-date', 'up-to-date']);
    expect(again.flatMap((t) => t.images.map((i) => i.imageId))).toEqual(
      results.flatMap((t) => t.images.map((i) => i.imageId)),
    );
    expect(r.stderr).not.toContain('building on');
  });
});

describe('a rendered image with one defect is rejected by the check meant to catch it', () => {
  let planned: PlannedTarget;

  beforeAll(async () => {
    planned = await planShippedTarget('debian12-amd64', logger);
  });

  /** The toolchain context with `edit` applied to one file (added when absent). */
  function toolchainWith(path: string, edit: (text: string) => string): RenderedContext {
    const context = planned.contexts.find((c) => c.kind === 'toolchain')!;
    const existing = context.files.find((f) => f.path === path);
    const changed = { path, mode: 0o644, content: Buffer.from(edit(existing?.content.toString('utf8') ?? ''), 'utf8') };
    const files = [...context.files.filter((f) => f.path !== path), changed];
    return { ...context, files };
  }

  async function bakeDefect(
    name: string,
    context: RenderedContext,
    target = planned.plan.target,
  ): Promise<{ result: TargetResult; report: Report }> {
    const tagPrefix = prefix(name);
    const result = await bakeTarget({
      plan: { ...planned.plan, target },
      contexts: [context],
      dist: planned.dist,
      engine,
      workDir: join(scratch, 'work'),
      reportDir: join(scratch, name),
      cacheDir: testBakeCacheDir(),
      env: process.env,
      tagPrefix,
      runId: `test-${run}`,
      now: new Date(),
      force: true,
      logger,
    });
    expect(result.status).toBe('rejected');
    expect(result.exitCode).toBe(ExitCode.CheckFailed);
    const image = result.images[0];
    // Nothing but the inspection tag: no immutable or moving tag for a rejected image.
    expect(await tagsUnder(tagPrefix)).toEqual([
      `${tagPrefix}/debian12-go:bake-rejected-${planned.plan.inputsDigest.slice(7, 19)}-amd64`,
    ]);
    expect(image.tags).toEqual(await tagsUnder(tagPrefix));
    return { result, report: image.report! };
  }

  const failed = (report: Report) => report.results.filter((r) => r.status === 'fail').map((r) => r.id);
  const check = (report: Report, id: string) => report.results.find((r) => r.id === id)!;

  test('GOSUMDB missing from the profile script fails go.login-shell', async () => {
    const { report } = await bakeDefect(
      'no-gosumdb',
      toolchainWith('policy/etc/profile.d/go-env.sh', (t) => t.replace(/^export GOSUMDB=.*\n/m, '')),
    );
    expect(failed(report)).toEqual(['go.login-shell']);
    expect(check(report, 'go.login-shell').reason).toBe(
      'GOSUMDB is not set in the login shell; expected "sum.golang.org"',
    );
    expect(check(report, 'go.login-shell').evidence[1]?.output).toContain('GOSUMDB (unset)');
  });

  test('root as the default user fails user.non-root', async () => {
    // The Dockerfile's last stage and the policy stage bake writes say the same.
    const context = toolchainWith('Dockerfile', (t) => t.replace(/^USER 10001:10001$/m, 'USER root'));
    const { report } = await bakeDefect('root-user', { ...context, policy: { ...context.policy!, user: 'root' } });
    expect(failed(report)).toEqual(['user.non-root']);
    expect(check(report, 'user.non-root').reason).toMatch(/^the image's default user is "root", not gobuild \(10001\)/);
  });

  test('a tool built with cgo fails binary.static', async () => {
    // The recipe's tools come from a stage that compiles one with gcc instead of bake's
    // cross-compiling builder image (which has no C compiler, so cannot link a cgo program);
    // the standard-library cache still comes from bake's own builder image.
    const cgoStage = [
      'FROM ${BIN_IMAGE} AS cached',
      'FROM ${BASE_IMAGE} AS bin',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev',
      'COPY --from=go /usr/local/go /usr/local/go',
      'COPY --from=cached /cache /cache',
      'COPY probe/ /src/probe/',
      'RUN cd /src/probe && HOME=/tmp GOFLAGS=-mod=readonly GOPROXY=off CGO_ENABLED=1 \\',
      '    /usr/local/go/bin/go build -o /out/cgo-tool .',
    ].join('\n');
    const withCgo = toolchainWith('Dockerfile', (t) => {
      expect(t).toContain('FROM ${BIN_IMAGE} AS bin\n');
      return t.replace('FROM ${BIN_IMAGE} AS bin', cgoStage);
    });
    // A file importing "C" makes the program a cgo program, linked against libc.
    const cgoFile = {
      path: 'probe/cgo.go',
      mode: 0o644,
      content: Buffer.from('package main\n\n// #include <unistd.h>\nimport "C"\n\nfunc init() { _ = C.getpid() }\n'),
    };
    const target = { ...planned.plan.target, tools: [{ name: 'cgo-tool', package: '.' }] };
    const { report } = await bakeDefect('cgo-tool', { ...withCgo, files: [...withCgo.files, cgoFile] }, target);
    expect(failed(report)).toEqual(['binary.static']);
    const reason = check(report, 'binary.static').reason;
    expect(reason).toMatch(
      /^\/usr\/local\/bin\/cgo-tool: has PT_INTERP \/lib64\/ld-linux-x86-64\.so\.2 \(dynamically linked\)/,
    );
    expect(
      check(report, 'binary.static')
        .evidence.map((e) => e.output)
        .join('\n'),
    ).toMatch(/DT_NEEDED=.*libc\.so\.6/);
  });
});

describe('the policy stage bake writes onto the stem', () => {
  test("holds what the Dockerfile's last stage builds: the stem's layers, policy files, env, labels", async () => {
    const planned = await planShippedTarget('debian12-amd64', logger);
    const toolchain = planned.contexts.find((c) => c.kind === 'toolchain')!;
    const written = await bakeTarget({
      ...planned,
      contexts: [toolchain],
      engine,
      workDir: join(scratch, 'work'),
      reportDir: join(scratch, 'written'),
      cacheDir: testBakeCacheDir(),
      env: process.env,
      tagPrefix: prefix('written'),
      runId: `test-${run}`,
      now: new Date(),
      force: true,
      logger,
    });
    expect(written.status).toBe('vetted');
    const image = written.images[0];
    // Nothing but the policy stage was made: the stem was there (the first test built it).
    expect(image.build).toMatchObject({ steps: 1, cachedSteps: 0, contextBytes: 0 });

    // The whole Dockerfile through BuildKit, with what bake gives its builds.
    const contextDir = join(scratch, 'whole-dockerfile');
    await writeContext(contextDir, toolchain.files);
    const base = written.base!;
    const built = await engine.build({
      contextDir,
      platform: 'linux/amd64',
      tags: [],
      labels: {
        [BUILD_LABELS.inputsDigest]: planned.plan.inputsDigest,
        [BUILD_LABELS.baseImage]: base.digest,
        [BUILD_LABELS.baseBootstrapped]: String(base.bootstrapped),
      },
      buildArgs: { BASE_IMAGE: base.imageRef, SOURCE_DATE_EPOCH: String(planned.plan.sourceDateEpoch) },
    });
    const [ours, buildkits] = await Promise.all(
      [image.imageId, built.imageId].map((id) => engine.docker.getImage(id).inspect()),
    );
    for (const field of ['Env', 'Labels', 'User', 'WorkingDir', 'Cmd', 'Entrypoint'] as const)
      expect([field, ours.Config[field]]).toEqual([field, buildkits.Config[field]]);
    expect([ours.Architecture, ours.Os, ours.Created]).toEqual([
      buildkits.Architecture,
      buildkits.Os,
      buildkits.Created,
    ]);
    // The same layers below the policy; BuildKit adds an empty one for WORKDIR, bake none.
    const stemLayers = ours.RootFS.Layers!.length - 1;
    expect(buildkits.RootFS.Layers!.slice(0, stemLayers)).toEqual(ours.RootFS.Layers!.slice(0, stemLayers));
    expect(buildkits.RootFS.Layers!.slice(stemLayers + 1)).toEqual([EMPTY_LAYER]);
    // The policy layer gives the same files and directories: modes, owners, times, contents
    // (but /etc's time, which a container's start sets).
    const dirs = ['/etc/profile.d', '/usr', '/usr/local', '/usr/local/go'];
    const files = ['/etc/profile.d/go-env.sh', '/usr/local/go/go.env'];
    const script = `stat -c "%n %a %u:%g %Y %s" ${dirs.join(' ')} "$@" && stat -c "%n %a %u:%g" /etc && sha256sum "$@"`;
    const [fromOurs, fromBuildkit] = await Promise.all(
      [image.imageId, built.imageId].map((id) => runInImage(engine.docker, id, ['sh', '-c', script, 'sh', ...files])),
    );
    expect(fromOurs.exitCode).toBe(0);
    expect(fromOurs.stdout).toBe(fromBuildkit.stdout);
    expect(fromOurs.stdout).toContain('/usr/local/go/go.env 644 0:0');
    await engine.removeImage(built.imageId);
  });
});

describe('interrupts leave no tag and no container, and the next run succeeds', () => {
  test('SIGINT while a RUN step builds: exit 130', async () => {
    const tagPrefix = prefix('sigint-build');
    const running = startBake(['build', 'debian12-amd64', ...common(), '--tag-prefix', tagPrefix, '--no-cache']);
    await waitForOutput(running, /\[debian12-amd64\/toolchain\] #\d+ \| /, 10 * 60_000);
    running.child.kill('SIGINT');
    const r = await running.done;
    expect(r.code).toBe(ExitCode.Interrupted);
    expect(r.stderr).toContain('SIGINT: cancelling the run');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await tagsUnder(tagPrefix)).toEqual([]);
    expect(await readinessContainers()).toEqual([]);

    const next = await bake(['build', 'debian12-amd64', ...common(), '--tag-prefix', tagPrefix]);
    expect(next.code).toBe(0);
    expect(await tagsUnder(tagPrefix)).toHaveLength(6);
  });

  test('SIGINT during the readiness suite: exit 130, the check container is removed', async () => {
    const tagPrefix = prefix('sigint-suite');
    const running = startBake(['build', 'debian12-amd64', ...common(), '--tag-prefix', tagPrefix, '--force']);
    await waitForOutput(running, /debian12-amd64\/toolchain: built .* running the readiness suite/, 10 * 60_000);
    running.child.kill('SIGINT');
    const r = await running.done;
    expect(r.code).toBe(ExitCode.Interrupted);
    expect(await tagsUnder(tagPrefix)).toEqual([]);
    expect(await readinessContainers()).toEqual([]);
  });
});
