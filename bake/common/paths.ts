import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where bake keeps downloads (content-addressed) unless BAKE_CACHE_DIR says otherwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BAKE_CACHE_DIR) return env.BAKE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'bake');
}

/** Where bake keeps state (catalog, embedded engine) unless BAKE_STATE_DIR says otherwise. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BAKE_STATE_DIR) return env.BAKE_STATE_DIR;
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'bake');
}
