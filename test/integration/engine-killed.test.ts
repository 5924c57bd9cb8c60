import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { connectEngine } from '../../bake/engine/daemon/embedded-engine';
import { engineLayout } from '../../bake/engine/daemon/engine-layout';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { rulesNaming } from '../support/services/engine-netns';
import {
  preparePrivateEmbeddedEngine,
  privateEmbeddedEngineUnsupported,
  type PrivateEmbeddedEngine,
} from '../support/services/private-embedded-engine';

/**
 * The engine dies mid-build (SIGKILL to dockerd): bake says so in one line, tags nothing,
 * and the next run starts the engine again and succeeds. On an embedded engine bake starts
 * for this test alone (its own state directory, socket and network namespace), never on
 * whatever answers on the standard socket: killing someone else's engine is not a test's
 * business. The base comes from the tests' shared cache (a cached rootfs is imported).
 */
const why = privateEmbeddedEngineUnsupported();
if (why) console.warn(`SKIPPED engine-killed test: ${why}`);
const suite = why ? describe.skip : describe;
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
// Containers of other tests come and go as veth pairs, and other runs may add namespaces of
// their own; what matters is that none of the host's went away and none of ours stayed.
const hostInterfaces = () => readdirSync('/sys/class/net').filter((n) => !n.startsWith('veth'));
const interfacesBefore = hostInterfaces();
const savedPath = process.env.PATH;
let engine: PrivateEmbeddedEngine;

suite('the engine is killed mid-build', () => {
  beforeAll(() => {
    engine = preparePrivateEmbeddedEngine('bake-killed', '10.203.78');
    // This process connects too (bake's recovery below), and must start the same wrapped dockerd.
    process.env.PATH = engine.path;
  });

  afterAll(async () => {
    process.env.PATH = savedPath;
    if (!engine) return;
    await engine.stop();
    expect(interfacesBefore.filter((n) => !hostInterfaces().includes(n))).toEqual([]);
    expect(hostInterfaces()).not.toContain(engine.netns.hostInterface);
    expect(existsSync(engine.netns.path)).toBe(false);
    expect(rulesNaming(engine.netns.subnet)).toEqual([]);
  });

  test('exit 7 with one line, no tag, and the next run restarts the engine and succeeds', async () => {
    const tagPrefix = `bake-test-${randomBytes(3).toString('hex')}-killed`;
    const args = [
      'build',
      'debian12-amd64',
      '--go-source',
      'debian',
      '--state-dir',
      engine.stateDir,
      '--engine',
      engine.endpoint,
      '--tag-prefix',
      tagPrefix,
    ];
    const env = { PATH: engine.path };
    const running = startBake([...args, '--no-cache'], env);
    await waitForOutput(running, /\[debian12-amd64\/toolchain\] #\d+ \| /, 10 * 60_000);
    const pid = Number((await fs.readFile(engineLayout(engine.stateDir).pidFile, 'utf8')).trim());
    process.kill(pid, 'SIGKILL');
    const r = await running.done;
    expect(r.stderr).toMatch(/started a Docker Engine \(pid \d+\) on unix:\/\//);
    expect(r.code).toBe(ExitCode.EngineUnavailable);
    expect(r.stderr).toMatch(/^bake: 1 target: 1 failed\n {2}debian12-amd64 failed: build of .* lost the engine/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);

    // bake's own recovery: the engine comes back (the same code a build runs first).
    const docker = await connectEngine({ stateDir: engine.stateDir, logger, endpoint: engine.endpoint });
    expect(docker.embedded).toBe(true);
    const tags = (await docker.docker.listImages())
      .flatMap((i) => i.RepoTags ?? [])
      .filter((t) => t.startsWith(`${tagPrefix}/`));
    expect(tags).toEqual([]);
    expect(await docker.docker.listContainers({ filters: JSON.stringify({ label: ['io.bake.readiness=1'] }) })).toEqual(
      [],
    );

    const next = await bake(args, env);
    expect(next.stderr).not.toMatch(/^\s+at /m);
    expect(next.code).toBe(0);
    const after = (await docker.docker.listImages())
      .flatMap((i) => i.RepoTags ?? [])
      .filter((t) => t.startsWith(`${tagPrefix}/`));
    expect(after).toHaveLength(6);
  });
});
