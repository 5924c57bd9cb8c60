import { engineLayout } from '../../../../bake/engine/daemon/engine-layout';

describe('engineLayout', () => {
  test('everything under STATE/engine, each file its own name', () => {
    const layout = engineLayout('/s');
    expect(layout).toEqual({
      dir: '/s/engine',
      dataRoot: '/s/engine/data',
      execRoot: '/s/engine/exec',
      pidFile: '/s/engine/dockerd.pid',
      logFile: '/s/engine/dockerd.log',
      lockFile: '/s/engine/start.lock',
      configFile: '/s/engine/daemon.json',
      privateSocket: '/s/engine/docker.sock',
      recordFile: '/s/engine/engine.json',
    });
    const paths = Object.values(layout);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
