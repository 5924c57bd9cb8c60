import { join } from 'node:path';

/** Where a bake-started Docker Engine keeps everything: one directory bake owns. */
export interface EngineLayout {
  dir: string;
  dataRoot: string;
  execRoot: string;
  /** Written by dockerd itself (--pidfile) and removed when it exits. */
  pidFile: string;
  logFile: string;
  /** Held while one bake process starts the engine, so two never start two daemons. */
  lockFile: string;
  /** dockerd's config; bake's own so a host daemon.json (e.g. with `hosts`) cannot break the start. */
  configFile: string;
  /** Socket used when the standard one is taken by something that does not answer. */
  privateSocket: string;
  /** What bake started: endpoint and pid, so later runs know the daemon is theirs. */
  recordFile: string;
}

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
