import { dockerdArgs } from '../../../../bake/engine/daemon/dockerd-launch';
import { engineLayout } from '../../../../bake/engine/daemon/engine-layout';

describe('dockerdArgs', () => {
  test("every piece of the daemon's state in bake's own directory, its config bake's own", () => {
    expect(dockerdArgs(engineLayout('/state'), '/var/run/docker.sock')).toEqual([
      '--host=unix:///var/run/docker.sock',
      '--data-root=/state/engine/data',
      '--exec-root=/state/engine/exec',
      '--pidfile=/state/engine/dockerd.pid',
      '--config-file=/state/engine/daemon.json',
    ]);
  });
});
