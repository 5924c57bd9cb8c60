import { spawn, spawnSync } from 'node:child_process';
import { scratchDir } from '../scratch-dir';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI exactly as users do (`npm test` compiles it first), with a cache of its own. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, ['bin/bake.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BAKE_CACHE_DIR: scratchDir('bake-cli-cache-'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** runCli without blocking, for tests that run the CLI side by side (`it.concurrent`). */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return bakeProcess(args, { ...process.env, BAKE_CACHE_DIR: scratchDir('bake-cli-cache-'), ...env });
}

/**
 * The compiled CLI with exactly the environment `env`, as a promise: a CLI's start is most of
 * what such a test spends, so tests that run it side by side use the machine's other CPUs.
 */
export function bakeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const child = spawn(process.execPath, ['bin/bake.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
