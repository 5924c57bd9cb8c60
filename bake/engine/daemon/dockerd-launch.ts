import { spawn } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import type { EngineLayout, LaunchedDaemon } from './types';

/** The flags of a bake-owned daemon: every piece of its state inside the layout's directory. */
export function dockerdArgs(layout: EngineLayout, socketPath: string): string[] {
  return [
    `--host=unix://${socketPath}`,
    `--data-root=${layout.dataRoot}`,
    `--exec-root=${layout.execRoot}`,
    `--pidfile=${layout.pidFile}`,
    `--config-file=${layout.configFile}`,
  ];
}

/**
 * Starts dockerd in its own session with output to the log file, and lets go of it: the
 * engine must outlive this bake process so the next command finds it warm.
 */
export async function launchDockerd(
  dockerd: string,
  layout: EngineLayout,
  socketPath: string,
): Promise<LaunchedDaemon> {
  await fs.mkdir(layout.dir, { recursive: true, mode: 0o700 });
  await fs.writeFile(layout.configFile, '{}\n', { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const log = openSync(layout.logFile, 'a');
  try {
    const child = spawn(dockerd, dockerdArgs(layout, socketPath), {
      detached: true,
      stdio: ['ignore', log, log],
      // containerd, runc and docker-init are found through PATH; make sure sbin is on it.
      env: {
        ...process.env,
        PATH: `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      },
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    child.unref();
    if (child.pid === undefined)
      throw new Error(`cannot start ${dockerd}: ${await Promise.race([exited, Promise.resolve('no pid')])}`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(log);
  }
}
