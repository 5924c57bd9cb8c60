import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { sha256File } from '../../bake/common/sha256';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { bakeTarget } from '../../bake/pipeline/bake-target';
import type { TargetResult } from '../../bake/pipeline/types';
import { planTarget } from '../../bake/render/plan-target';
import type { PlanContext } from '../../bake/plan/types';
import type { Report } from '../../bake/readiness/types';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import type { PlannedTarget, RenderedContext } from '../../bake/render/types';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { runInImage } from '../support/run-in-image';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';
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
    const ctx: PlanContext = {
      recipesDir: 'recipes',
      cacheDir: testBakeCacheDir(),
      policy: await loadVersionPolicy('recipes'),
      now: new Date(),
      logger,
      goSource: ['debian'],
      trustKeys: [],
      env: process.env,
    };
    const target = expandTargets((await loadRecipes('recipes')).recipes).find((t) => t.name === 'debian12-amd64')!;
    planned = await planTarget(ctx, target);
  });

  /** The toolchain context with `edit` applied to one file (added when absent). */
  function toolchainWith(path: string, edit: (text: string) => string): RenderedContext {
    const context = planned.contexts.find((c) => c.kind === 'toolchain')!;
    const existing = context.files.find((f) => f.path === path);
    const changed = { path, mode: 0o644, content: Buffer.from(edit(existing?.content.toString('utf8') ?? ''), 'utf8') };
    const files = [...context.files.filter((f) => f.path !== path), changed];
    return { ...context, files };
  }

  async function bakeDefect(name: string, context: RenderedContext): Promise<{ result: TargetResult; report: Report }> {
    const tagPrefix = prefix(name);
    const result = await bakeTarget({
      plan: planned.plan,
      contexts: [context],
      dist: planned.dist,
      engine,
      workDir: join(scratch, 'work'),
      reportDir: join(scratch, name),
      cacheDir: testBakeCacheDir(),
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
      toolchainWith('files/etc/profile.d/go-env.sh', (t) => t.replace(/^export GOSUMDB=.*\n/m, '')),
    );
    expect(failed(report)).toEqual(['go.login-shell']);
    expect(check(report, 'go.login-shell').reason).toBe(
      'GOSUMDB is not set in the login shell; expected "sum.golang.org"',
    );
    expect(check(report, 'go.login-shell').evidence[1]?.output).toContain('GOSUMDB (unset)');
  });

  test('root as the default user fails user.non-root', async () => {
    const { report } = await bakeDefect(
      'root-user',
      toolchainWith('Dockerfile', (t) => t.replace(/^USER 10001:10001$/m, 'USER root')),
    );
    expect(failed(report)).toEqual(['user.non-root']);
    expect(check(report, 'user.non-root').reason).toMatch(/^the image's default user is "root", not gobuild \(10001\)/);
  });

  test('a probe built with cgo fails binary.static', async () => {
    // The binaries come from a stage that compiles the probe with gcc instead of bake's
    // cross-compiling builder image (which has no C compiler, so cannot link a cgo program).
    const cgoStage = [
      'FROM ${BASE_IMAGE} AS bin',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev',
      'COPY --from=go /usr/local/go /usr/local/go',
      'COPY probe/ /src/probe/',
      'RUN cd /src/probe && HOME=/tmp GOFLAGS=-mod=readonly GOPROXY=off CGO_ENABLED=1 \\',
      '    /usr/local/go/bin/go build -o /out/bake-probe .',
    ].join('\n');
    const withCgo = toolchainWith('Dockerfile', (t) => {
      expect(t).toContain('FROM ${BIN_IMAGE} AS bin\n');
      return t.replace('FROM ${BIN_IMAGE} AS bin', cgoStage);
    });
    // A file importing "C" makes the probe a cgo program, linked against libc.
    const cgoFile = {
      path: 'probe/cgo.go',
      mode: 0o644,
      content: Buffer.from('package main\n\n// #include <unistd.h>\nimport "C"\n\nfunc init() { _ = C.getpid() }\n'),
    };
    const { report } = await bakeDefect('cgo-probe', { ...withCgo, files: [...withCgo.files, cgoFile] });
    expect(failed(report)).toEqual(['binary.static']);
    const reason = check(report, 'binary.static').reason;
    expect(reason).toMatch(
      /^\/usr\/local\/bin\/bake-probe: has PT_INTERP \/lib64\/ld-linux-x86-64\.so\.2 \(dynamically linked\)/,
    );
    expect(
      check(report, 'binary.static')
        .evidence.map((e) => e.output)
        .join('\n'),
    ).toMatch(/DT_NEEDED=.*libc\.so\.6/);
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
