import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { ExitCode } from '../../bake/common/errors';
import { createLogger } from '../../bake/common/log';
import { connectEngine } from '../../bake/engine/embedded-engine';
import { engineLayout } from '../../bake/engine/engine-layout';
import { bake, startBake, waitForOutput } from '../support/bake-cli';
import { services } from '../support/test-services';

/**
 * The engine dies mid-build (SIGKILL to dockerd): bake says so in one line, tags nothing,
 * and the next run starts the engine again and succeeds. Only on an engine the test setup
 * started itself: killing someone else's engine is not a test's business.
 */
const engineService = services().engine;
const why = engineService.started ? undefined : `the engine at ${engineService.endpoint} was not started by the test setup, so this test will not kill it`;
if (why) console.warn(`SKIPPED engine-killed test: ${why}`);
const suite = why ? describe.skip : describe;
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });

suite('the engine is killed mid-build', () => {
  test('exit 7 with one line, no tag, and the next run restarts the engine and succeeds', async () => {
    const tagPrefix = `bake-test-${randomBytes(3).toString('hex')}-killed`;
    const args = ['build', 'debian12-amd64', '--go-source', 'debian', '--engine', engineService.endpoint, '--tag-prefix', tagPrefix];
    const running = startBake([...args, '--no-cache']);
    await waitForOutput(running, /\[debian12-amd64\/toolchain\] #\d+ \| /, 10 * 60_000);
    const pid = Number((await fs.readFile(engineLayout(engineService.stateDir).pidFile, 'utf8')).trim());
    process.kill(pid, 'SIGKILL');
    const r = await running.done;
    expect(r.code).toBe(ExitCode.EngineUnavailable);
    expect(r.stderr).toMatch(/^bake: 1 target: 1 failed\n {2}debian12-amd64 failed: build of .* lost the engine/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);

    // bake's own recovery: the engine comes back (the same code a build runs first).
    const engine = await connectEngine({ stateDir: engineService.stateDir, logger, endpoint: engineService.endpoint });
    const tags = (await engine.docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${tagPrefix}/`));
    expect(tags).toEqual([]);
    expect(await engine.docker.listContainers({ filters: JSON.stringify({ label: ['io.bake.readiness=1'] }) })).toEqual([]);

    const next = await bake(args);
    expect(next.code).toBe(0);
    const after = (await engine.docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${tagPrefix}/`));
    expect(after).toHaveLength(6);
    for (const tag of after) await engine.removeImage(tag);
  });
});
