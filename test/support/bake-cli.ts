import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { testBakeCacheDir, testStateDir } from './test-dirs';

const ROOT = resolve(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The compiled CLI exactly as users run it (`npm test` compiles it first), with the tests'
 * cache and state directories and the integration engine unless `env` says otherwise.
 */
export function startBake(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, ['bin/bake.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, BAKE_CACHE_DIR: testBakeCacheDir(), BAKE_STATE_DIR: testStateDir(), CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
    if (process.env.BAKE_TEST_VERBOSE) process.stderr.write(b);
  });
  const done = new Promise<CliResult>((resolveDone) =>
    child.on('close', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done, stderrSoFar: () => stderr };
}

export function bake(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startBake(args, env).done;
}

/** Resolves once the running command's stderr matches `pattern` (or rejects when it exits first). */
export async function waitForOutput(
  run: ReturnType<typeof startBake>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.done.then(() => (exited = true));
  while (!pattern.test(run.stderrSoFar())) {
    if (exited) throw new Error(`bake exited before printing ${pattern}:\n${run.stderrSoFar().slice(-3000)}`);
    if (Date.now() > deadline)
      throw new Error(`bake did not print ${pattern} within ${timeoutMs / 1000} s:\n${run.stderrSoFar().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
