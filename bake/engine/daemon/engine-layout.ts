import { join } from 'node:path';
import type { EngineLayout } from './types';

export function engineLayout(stateDir: string): EngineLayout {
  const dir = join(stateDir, 'engine');
  return {
    dir,
    dataRoot: join(dir, 'data'),
    execRoot: join(dir, 'exec'),
    pidFile: join(dir, 'dockerd.pid'),
    logFile: join(dir, 'dockerd.log'),
    lockFile: join(dir, 'start.lock'),
    configFile: join(dir, 'daemon.json'),
    privateSocket: join(dir, 'docker.sock'),
    recordFile: join(dir, 'engine.json'),
  };
}
