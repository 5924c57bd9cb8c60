import { randomBytes } from 'node:crypto';
import { createLogger } from '../../bake/common/log';
import { ensureBaseImage } from '../../bake/engine/base/base-image';
import { ContainerDriver } from '../../bake/readiness/drivers/container-driver';
import { removeReadinessContainers } from '../../bake/readiness/drivers/leftover-containers';
import { expandTargets } from '../../bake/recipe/expand-targets';
import { loadRecipes } from '../../bake/recipe/load-recipes';
import { testBakeCacheDir } from '../support/test-dirs';
import { testEngine } from '../support/test-engine';

/**
 * The readiness suite's container driver on a real Debian 12 base: no network, labeled for
 * cleanup, files read through symlinks, commands as other users, login shells that start
 * from an empty environment.
 */
const engine = testEngine();
const runId = `it-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
let base: string;

beforeAll(async () => {
  const target = expandTargets((await loadRecipes('recipes')).recipes).find((t) => t.name === 'debian12-amd64')!;
  base = (await ensureBaseImage(target, engine, { cacheDir: testBakeCacheDir(), logger })).imageRef;
});

afterAll(async () => {
  expect(await removeReadinessContainers(engine.docker, runId)).toEqual([]);
});

test('no network, labeled, files read through symlinks, login shells start clean, removed on close', async () => {
  const driver = await ContainerDriver.start(engine.docker, base, { runId, logger });
  try {
    expect((await driver.exec(['ls', '/sys/class/net'])).stdout.trim()).toBe('lo');
    const mine = await engine.docker.listContainers({
      filters: { label: ['io.bake.readiness=1', `io.bake.run-id=${runId}`] },
    });
    expect(mine).toHaveLength(1);
    // /etc/localtime is a symlink in Debian; readFile returns what it points to.
    expect((await driver.readFile('/etc/localtime'))?.subarray(0, 4).toString()).toBe('TZif');
    expect(await driver.readFile('/no/such/file')).toBeUndefined();
    await expect(driver.readFile('/etc')).rejects.toThrow('/etc is a directory, not a file');
    expect((await driver.exec(['no-such-command'])).exitCode).toBeGreaterThanOrEqual(126);
    expect(await driver.exec(['id', '-un'], { user: 'nobody' })).toMatchObject({ exitCode: 0, stdout: 'nobody\n' });
    // The engine gives every exec HOSTNAME; a login session starts without it.
    expect((await driver.exec(['sh', '-c', 'echo "$HOSTNAME"'])).stdout.trim()).not.toBe('');
    const login = await driver.exec(['sh', '-c', 'echo "$HOSTNAME|$HOME|$0"'], {
      loginShell: true,
      env: { HOME: '/root' },
    });
    expect(login.stdout.trim()).toBe('|/root|sh');
  } finally {
    await driver.close();
  }
  expect(await engine.docker.listContainers({ all: true, filters: { label: [`io.bake.run-id=${runId}`] } })).toEqual(
    [],
  );
});
