import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { loadVersionPolicy } from '../../bake/golang/version-policy';
import { bakeTarget } from '../../bake/pipeline/bake-target';
import type { TargetResult } from '../../bake/pipeline/types';
import type { PlanContext } from '../../bake/plan/types';
import type { Report } from '../../bake/readiness/types';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import { planTarget } from '../../bake/render/plan-target';
import type { PlannedTarget } from '../../bake/render/types';
import { bridgeAddress } from '../support/archive/test-archive';
import { bake, type CliResult } from '../support/bake-cli';
import { findInSavedImage, findInText } from '../support/leak-scan';
import { publishModule, type PublishedModule } from '../support/module-proxy/module-zip';
import { type ModuleProxyServer, startModuleProxy, stopModuleProxy } from '../support/module-proxy/nginx-proxy';
import { runInImage } from '../support/run-in-image';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';
import { services } from '../support/test-services';

/**
 * A tool from a private module, through the site's own module proxy, trusted through the
 * site's CA, with a credential that reaches nothing but the builder's secret mounts. nginx
 * from Debian serves the GOPROXY layout over https with basic auth on the docker bridge (a
 * build step does not see the host's loopback), its certificate signed by a test CA the
 * recipe adds with ca.extra. The test writes a private library and a tool importing it, zips
 * them in the module zip format and pins the tool's h1: hash. Refusals come first (each
 * before or instead of a build), then one toolchain and one runtime image are baked, the tool
 * run, and everything the run left (layers, config, history, build log, reports) scanned for
 * the credential; last, secrets.none rejects an image with a netrc and a token planted in a
 * layer a later one deletes.
 */
const run = randomBytes(3).toString('hex');
const prefix = `bake-test-${run}`;
const TOKEN = `tok${randomBytes(20).toString('hex')}`;
const WRONG_TOKEN = `tok${randomBytes(20).toString('hex')}`;
const USER = 'oauth2';
/**
 * Module paths of this run: nothing an earlier run left on the shared engine (images, build
 * cache) can stand in for this run's modules, whose content (and hash) differs every run.
 */
const CORP = `corp.example.com/r${run}`;
const TOOL = `${CORP}/tool`;
const LIB = `${CORP}/lib`;
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const engine = testEngine();
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
const bridge = bridgeAddress();
const describeIfBridge = bridge ? describe : describe.skip;
if (!bridge)
  console.log(
    'private-modules: skipped: no docker0 bridge address, so image builds could not reach a module proxy on this host',
  );

let scratch: string;
let proxy: ModuleProxyServer;
let tool: PublishedModule;
let recipes: string;
let files: { netrc: string; wrongNetrc: string; goauth: string };
/** Every CLI run's stderr: the build log the leak scan reads. */
const logs: Record<string, string> = {};

function bakeHere(name: string, args: string[], dir = recipes): Promise<CliResult> {
  return bake(
    [
      ...args,
      '--recipes',
      dir,
      '--go-source',
      'debian',
      '--engine',
      services().engine.endpoint,
      '--tag-prefix',
      prefix,
    ],
    // The run decides its credential: none inherited from the environment of the test.
    { BAKE_NETRC: '', BAKE_GOAUTH: '', BAKE_GO_PROXY: '' },
  ).then((r) => {
    logs[name] = `${r.stderr}\n${r.stdout}`;
    return r;
  });
}

/** A recipe like debian12 (amd64 only) with the private tool, the site's proxy and its CA. */
async function writeRecipes(dir: string, sum: string): Promise<void> {
  await fs.mkdir(join(dir, 'files'), { recursive: true });
  for (const f of ['defaults.yaml', 'policy.yaml', 'bases.lock.yaml'])
    await fs.copyFile(join('recipes', f), join(dir, f));
  await fs.writeFile(join(dir, 'files', 'corp-root.pem'), proxy.caPem);
  const debian12 = await fs.readFile(join('recipes', 'debian12.yaml'), 'utf8');
  await fs.writeFile(
    join(dir, 'priv.yaml'),
    [
      debian12,
      'arches: [amd64]',
      'env: { GOPRIVATE: corp.example.com }',
      `go: { proxy: "${proxy.url}" }`,
      'tools:',
      '  - name: corp-hello',
      `    package: ${TOOL}/cmd/hello@v1.0.0`,
      `    module: ${TOOL}`,
      `    sum: "${sum}"`,
      'ca: { extra: [files/corp-root.pem] }',
      '',
    ].join('\n'),
  );
}

beforeAll(async () => {
  if (!bridge) return;
  scratch = await fs.mkdtemp(join(tmpdir(), 'bake-private-modules-'));
  const root = join(scratch, 'proxy');
  const lib = await publishModule(root, LIB, 'v0.1.0', [
    { path: 'go.mod', content: `module ${LIB}\n\ngo 1.21\n` },
    {
      path: 'lib.go',
      content:
        'package lib\n\n// Greeting is private code.\n' +
        `func Greeting() string { return "hello from the private lib ${run}" }\n`,
    },
  ]);
  tool = await publishModule(root, TOOL, 'v1.0.0', [
    { path: 'go.mod', content: `module ${TOOL}\n\ngo 1.21\n\nrequire ${LIB} v0.1.0\n` },
    {
      path: 'go.sum',
      content: `${lib.path} ${lib.version} ${lib.sum}\n${lib.path} ${lib.version}/go.mod ${lib.goModSum}\n`,
    },
    {
      path: 'cmd/hello/main.go',
      content:
        `package main\n\nimport (\n\t"fmt"\n\n\t"${LIB}"\n)\n\n` + 'func main() { fmt.Println(lib.Greeting()) }\n',
    },
  ]);
  proxy = await startModuleProxy({ dir: join(scratch, 'nginx'), root, address: bridge, user: USER, password: TOKEN });
  // Go matches a netrc machine, and a GOAUTH URL, against the proxy URL's host and port.
  const host = new URL(proxy.url).host;
  files = {
    netrc: join(scratch, 'netrc'),
    wrongNetrc: join(scratch, 'wrong-netrc'),
    goauth: join(scratch, 'goauth'),
  };
  await fs.writeFile(files.netrc, `machine ${host}\nlogin ${USER}\npassword ${TOKEN}\n`, { mode: 0o600 });
  await fs.writeFile(files.wrongNetrc, `machine ${host} login ${USER} password ${WRONG_TOKEN}\n`, { mode: 0o600 });
  const basic = Buffer.from(`${USER}:${TOKEN}`).toString('base64');
  await fs.writeFile(files.goauth, `${proxy.url}\n\nAuthorization: Basic ${basic}\n\n`, { mode: 0o600 });
  recipes = join(scratch, 'recipes');
  await writeRecipes(recipes, tool.sum);
});

afterAll(async () => {
  if (proxy) await stopModuleProxy(proxy);
  if (!scratch) return;
  for (const image of await engine.docker.listImages())
    for (const tag of (image.RepoTags ?? []).filter((t) => t.startsWith(`${prefix}/`))) await engine.removeImage(tag);
  if (planned) await engine.removeImage(planned.contexts[0].images.bin);
  await fs.rm(scratch, { recursive: true, force: true });
});

let planned: PlannedTarget | undefined;
let results: TargetResult[];

describeIfBridge('a tool from a private module, through the site proxy, its CA and a secret credential', () => {
  test('a plain http proxy is refused before anything runs: --go-proxy (exit 2), go.proxy (exit 3)', async () => {
    const http = proxy.url.replace('https://', 'http://');
    const flag = await bakeHere('http-flag', ['build', 'priv-amd64', '--go-proxy', http]);
    expect(flag.code).toBe(ExitCode.Usage);
    expect(flag.stderr).toMatch(/--go-proxy: plain http would expose the credential and the modules on the way/);
    const dir = join(scratch, 'recipes-http');
    await writeRecipes(dir, tool.sum);
    const text = await fs.readFile(join(dir, 'priv.yaml'), 'utf8');
    await fs.writeFile(join(dir, 'priv.yaml'), text.replace(`proxy: "${proxy.url}"`, `proxy: "${http}"`));
    // recipe check takes no engine options: bake is called without bakeHere's.
    const recipe = await bake(['recipe', 'check', '--recipes', dir]);
    logs['http-recipe'] = `${recipe.stderr}\n${recipe.stdout}`;
    expect(recipe.code).toBe(ExitCode.InvalidRecipe);
    expect(recipe.stderr).toMatch(/priv\.yaml: go\.proxy: plain http would expose/);
  });

  test('no credential: the proxy answers 401, and bake names the flag (exit 2, nothing built)', async () => {
    const r = await bakeHere('no-token', ['build', 'priv-amd64']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(`the module proxy ${proxy.url} answered 401 Unauthorized for ${TOOL}`);
    expect(r.stderr).toContain('--secret netrc=FILE');
    expect(r.stderr).not.toMatch(/building on/);
  });

  test('a wrong token: the proxy refuses it in the build, bake says so with its status (exit 6)', async () => {
    const r = await bakeHere('wrong-token', ['build', 'priv-amd64', '--secret', `netrc=${files.wrongNetrc}`]);
    expect(r.code).toBe(ExitCode.Unavailable);
    expect(r.stderr).toMatch(
      new RegExp(
        `the module proxy ${esc(proxy.url)} \\(go\\.proxy of \\S+priv\\.yaml\\) refused the credential ` +
          `from --secret netrc for ${esc(TOOL)}@v1\\.0\\.0: 401 Unauthorized`,
      ),
    );
    expect(r.stderr).not.toContain(WRONG_TOKEN);
  });

  test('a pinned h1: the module does not match: exit 4, through a GOAUTH credential this time', async () => {
    const dir = join(scratch, 'recipes-badpin');
    const wrong = `h1:${Buffer.alloc(32, 7).toString('base64')}`;
    await writeRecipes(dir, wrong);
    const r = await bakeHere('bad-pin', ['build', 'priv-amd64', '--secret', `goauth=${files.goauth}`], dir);
    // The download authenticated (GOAUTH's header), so the proxy served the module: the pin refused it.
    // The message first: when it fails, the end of what bake said is shown.
    expect(r.stderr.split('\n').slice(-4).join('\n')).toContain(
      `module checksum mismatch: ${TOOL}@v1.0.0: the recipe pins ${wrong}, the proxy served ${tool.sum}`,
    );
    expect(r.code).toBe(ExitCode.Untrusted);
  });

  test('bakes both images: the tool runs as the build user, Go trusts the site CA, every check passes', async () => {
    const r = await bakeHere('build', [
      'build',
      'priv-amd64',
      '--secret',
      `netrc=${files.netrc}`,
      '--report',
      join(scratch, 'reports'),
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(0);
    results = JSON.parse(r.stdout) as TargetResult[];
    expect(results.map((t) => [t.target, t.status])).toEqual([['priv-amd64', 'vetted']]);
    for (const image of results[0].images) {
      const report = JSON.parse(await fs.readFile(image.reportFiles!.json, 'utf8')) as Report;
      expect(report.results.filter((c) => c.status !== 'pass')).toEqual([]);
      const tls = report.results.find((c) => c.id === 'tls.ca-bundle')!;
      expect(tls.reason).toMatch(/the site's 1 CA\(s\) among them, loaded by Go$/);
    }
    const toolchain = results[0].images.find((i) => i.kind === 'toolchain')!;
    const ran = await runInImage(engine.docker, toolchain.immutableRef!, ['sh', '-c', 'id -un; corp-hello']);
    expect(ran).toMatchObject({ exitCode: 0, stdout: `gobuild\nhello from the private lib ${run}\n` });
    // Stamped by `go install pkg@version`: the module and its dependency with their hashes.
    const info = await runInImage(engine.docker, toolchain.immutableRef!, [
      'go',
      'version',
      '-m',
      '/usr/local/bin/corp-hello',
    ]);
    expect(info.stdout).toContain(`mod\t${TOOL}\tv1.0.0\t${tool.sum}`);
    expect(info.stdout).toMatch(new RegExp(`dep\t${esc(LIB)}\tv0\\.1\\.0\th1:`));
    expect(info.stdout).toContain('-trimpath=true');
  });

  test('the credential is nowhere: layers, config, history, the builder image, build logs, reports', async () => {
    const netrcText = await fs.readFile(files.netrc, 'utf8');
    const goauthText = await fs.readFile(files.goauth, 'utf8');
    const needles = [
      TOKEN,
      WRONG_TOKEN,
      Buffer.from(`${USER}:${TOKEN}`).toString('base64'),
      ...netrcText.split('\n').filter(Boolean),
      goauthText.split('\n').find((l) => l.startsWith('Authorization'))!,
    ].filter((n) => n !== `login ${USER}`);
    const ctx = await planContext(recipes);
    const target = expandTargets((await loadRecipes(recipes)).recipes).find((t) => t.name === 'priv-amd64')!;
    planned = await planTarget(ctx, target);
    const images = [...results[0].images.map((i) => i.imageId), planned.contexts[0].images.bin];
    for (const image of images) expect(await findInSavedImage(engine.docker, image, needles)).toEqual([]);
    const reports: Record<string, string> = {};
    for (const image of results[0].images)
      for (const file of [image.reportFiles!.json, image.reportFiles!.junit])
        reports[file] = await fs.readFile(file, 'utf8');
    expect(Object.keys(logs)).toEqual(['http-flag', 'http-recipe', 'no-token', 'wrong-token', 'bad-pin', 'build']);
    expect(findInText({ ...logs, ...reports, plan: JSON.stringify(planned.plan) }, needles)).toEqual([]);
    // The build log does show the tool steps, so the scan read what they printed.
    expect(logs.build).toMatch(new RegExp(`verified ${esc(TOOL)}@v1\\.0\\.0 h1:\\S+ \\(pinned in the recipe\\)`));
  });

  test('secrets.none rejects a netrc and a token planted in a layer that a later layer deletes', async () => {
    const planted = `tok${randomBytes(20).toString('hex')}`;
    const context = planned!.contexts.find((c) => c.kind === 'toolchain')!;
    const dockerfile = context.files.find((f) => f.path === 'Dockerfile')!.content.toString('utf8');
    // At the end of the stem: what follows it, the policy stage, bake writes itself.
    const stemEnd = dockerfile.indexOf(`\nFROM ${context.policy!.stem} AS `);
    expect(stemEnd).toBeGreaterThan(0);
    const plant = [
      '',
      "RUN printf 'machine goproxy.corp.example.com\\nlogin oauth2\\npassword %s\\n' " +
        `${planted} > /var/tmp/corp-auth && \\`,
      `    printf 'https://goproxy.corp.example.com\\n\\nAuthorization: Bearer %s\\n\\n' ${planted} > /etc/go-headers`,
      'RUN rm -f /var/tmp/corp-auth /etc/go-headers',
    ].join('\n');
    const withPlant = Buffer.from(dockerfile.slice(0, stemEnd) + plant + dockerfile.slice(stemEnd));
    const files2 = context.files.map((f) => (f.path === 'Dockerfile' ? { ...f, content: withPlant } : f));
    const result = await bakeTarget({
      plan: planned!.plan,
      contexts: [{ ...context, files: files2 }],
      dist: planned!.dist,
      engine,
      workDir: join(scratch, 'work'),
      reportDir: join(scratch, 'defect'),
      cacheDir: testBakeCacheDir(),
      env: process.env,
      tagPrefix: `${prefix}-defect`,
      runId: `test-${run}`,
      now: new Date(),
      force: true,
      logger,
    });
    expect(result.status).toBe('rejected');
    const report = result.images[0].report!;
    expect(report.results.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['secrets.none']);
    const secrets = report.results.find((c) => c.id === 'secrets.none')!;
    const said = secrets.evidence.map((e) => e.output).join('\n');
    expect(said).toMatch(/layer [0-9a-f]{12} \/var\/tmp\/corp-auth: netrc credentials \(in its content\)/);
    expect(said).toMatch(/layer [0-9a-f]{12} \/etc\/go-headers: HTTP Authorization header \(in its content\)/);
    expect(JSON.stringify(report)).not.toContain(planted);
    // The final file system has neither file: only a scan of every layer finds them.
    const fs2 = await runInImage(engine.docker, result.images[0].imageId, ['ls', '/var/tmp', '/etc/go-headers']);
    expect(fs2.stderr).toContain('No such file');
  });
});

async function planContext(dir: string): Promise<PlanContext> {
  return {
    recipesDir: dir,
    cacheDir: testBakeCacheDir(),
    policy: await loadVersionPolicy(dir),
    now: new Date(),
    logger,
    goSource: ['debian'],
    trustKeys: [],
    env: process.env,
  };
}
