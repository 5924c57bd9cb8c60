import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../bake/common/log';
import { ExitCode } from '../../bake/common/errors';
import { DockerEngine } from '../../bake/engine/docker-engine';
import { connectEngine, ourDaemonPid, stopEmbeddedEngine } from '../../bake/engine/daemon/embedded-engine';
import { engineLayout } from '../../bake/engine/daemon/engine-layout';
import { findCommand } from '../../bake/engine/host/host-tool';

/**
 * bake's own Docker Engine, started beside whatever engine the machine already runs: on a
 * private socket and in a network namespace of its own. The namespace matters: a second
 * dockerd in the host's namespace manages the same docker0 bridge (with --bridge=none it
 * even deletes it), which breaks the first daemon. `dockerd` is found through PATH, so a
 * wrapper earlier on PATH adds `unshare --net` without any test hook in the product.
 * Exercises the real start, the start lock and the stop guard.
 */
jest.setTimeout(5 * 60 * 1000);

const isRoot = process.getuid?.() === 0;
const dockerd = findCommand('dockerd');
const unshare = findCommand('unshare');
const why = !isRoot
  ? 'not root'
  : !dockerd
    ? 'dockerd not installed'
    : !unshare
      ? 'unshare (util-linux) not installed'
      : undefined;
if (why) console.warn(`SKIPPED embedded engine tests: ${why}`);
const suite = why ? describe.skip : describe;

// Short paths: dockerd's sockets must fit in 108 bytes.
const stateDir = mkdtempSync('/tmp/bake-eng-');
const socket = join(stateDir, 'd.sock');
const logger = createLogger({ quiet: !process.env.BAKE_TEST_VERBOSE });
// Containers of other tests come and go as veth pairs; the rest must not change.
const hostInterfaces = () =>
  readdirSync('/sys/class/net')
    .filter((n) => !n.startsWith('veth'))
    .sort();
const interfacesBefore = hostInterfaces();
const savedPath = process.env.PATH;

suite('embedded engine', () => {
  beforeAll(() => {
    const bin = join(stateDir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'dockerd'), `#!/bin/sh\nexec ${unshare} --net ${dockerd} "$@"\n`, { mode: 0o755 });
    process.env.PATH = `${bin}:${savedPath}`;
  });

  afterAll(async () => {
    process.env.PATH = savedPath;
    await stopEmbeddedEngine(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
    // The host's network (e.g. another daemon's docker0) is exactly as it was.
    expect(hostInterfaces()).toEqual(interfacesBefore);
  });

  test('nothing answers and starting is not allowed: one line, EngineUnavailable, no daemon', async () => {
    await expect(
      connectEngine({ stateDir, logger, endpoint: `unix://${socket}`, allowStart: false }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.EngineUnavailable,
      message: `no Docker engine answers at unix://${socket}`,
    });
    expect(await ourDaemonPid(engineLayout(stateDir))).toBeUndefined();
  });

  test(
    'two concurrent connectEngine calls start one daemon (the start lock), ' + 'which outlives them and is found again',
    async () => {
      const started = Date.now();
      const [a, b] = await Promise.all([
        connectEngine({ stateDir, logger, endpoint: `unix://${socket}` }),
        connectEngine({ stateDir, logger, endpoint: `unix://${socket}` }),
      ]);
      console.log(`embedded engine answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const layout = engineLayout(stateDir);
      const pid = await ourDaemonPid(layout);
      expect(pid).toBeGreaterThan(0);
      // One daemon: the log shows exactly one start, and both connections reach it.
      const log = readFileSync(layout.logFile, 'utf8');
      expect(log.match(/Daemon has completed initialization/g)).toHaveLength(1);
      expect((await a.info()).embedded).toBe(true);
      expect((await b.info()).serverVersion).toMatch(/^\d+\.\d+/);
      // Its own session, so ending this process (or its process group) does not end it.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      expect(Number(stat[3])).toBe(pid); // session id == its own pid (setsid)
      // State lives under the bake-owned directory.
      const info = await a.info();
      expect(info.dataRoot).toBe(layout.dataRoot);
      expect(existsSync(layout.execRoot)).toBe(true);

      // A later bake finds it warm.
      const again = await connectEngine({ stateDir, logger, endpoint: `unix://${socket}` });
      await again.ping();
      expect(await ourDaemonPid(layout)).toBe(pid);
    },
  );

  test('stopEmbeddedEngine never stops a process bake did not start', async () => {
    const other = mkdtempSync('/tmp/bake-eng-other-');
    const layout = engineLayout(other);
    mkdirSync(layout.dir, { recursive: true });
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(layout.pidFile, `${sleeper.pid}\n`);
      expect(await stopEmbeddedEngine(other)).toBe(false);
      expect(sleeper.exitCode).toBeNull();
      expect(sleeper.signalCode).toBeNull();
    } finally {
      sleeper.kill();
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('stopEmbeddedEngine stops the daemon bake started, once', async () => {
    const pid = await ourDaemonPid(engineLayout(stateDir));
    expect(await stopEmbeddedEngine(stateDir)).toBe(true);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    await expect(DockerEngine.at(`unix://${socket}`).ping(1000)).rejects.toMatchObject({
      exitCode: ExitCode.EngineUnavailable,
    });
    expect(await stopEmbeddedEngine(stateDir)).toBe(false);
  });
});
