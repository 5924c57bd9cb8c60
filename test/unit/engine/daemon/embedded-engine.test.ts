import { writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ourDaemonPid, socketInUse, stopEmbeddedEngine } from '../../../../bake/engine/daemon/embedded-engine';
import { engineLayout } from '../../../../bake/engine/daemon/engine-layout';
import { scratchDir } from '../../scratch-dir';

describe('socketInUse', () => {
  test('true while something accepts connections on the socket, false when nothing does', async () => {
    const path = join(scratchDir('bake-sock-'), 'docker.sock');
    expect(await socketInUse(path)).toBe(false);
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(await socketInUse(path)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('ourDaemonPid and stopEmbeddedEngine', () => {
  test('no pidfile, a dead pid, or a process that is not our dockerd: none is ours, none stopped', async () => {
    const state = scratchDir('bake-engine-state-');
    const layout = engineLayout(state);
    expect(await ourDaemonPid(layout)).toBeUndefined();
    mkdirSync(layout.dir, { recursive: true });
    writeFileSync(layout.pidFile, '999999999');
    expect(await ourDaemonPid(layout)).toBeUndefined();
    // This very process is alive, but its command line is not dockerd with our pidfile.
    writeFileSync(layout.pidFile, String(process.pid));
    expect(await ourDaemonPid(layout)).toBeUndefined();
    writeFileSync(layout.pidFile, 'garbage');
    expect(await ourDaemonPid(layout)).toBeUndefined();
    expect(await stopEmbeddedEngine(state)).toBe(false);
  });
});
