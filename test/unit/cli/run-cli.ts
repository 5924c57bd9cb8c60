import { spawnSync } from 'node:child_process';
import { scratchDir } from '../scratch-dir';

/** Runs the compiled CLI exactly as users do (`npm test` compiles it first), with a cache of its own. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/bake.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BAKE_CACHE_DIR: scratchDir('bake-cli-cache-'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
