import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project root (holding package.json, images/, recipes/), found by walking up from this
 * file, so the same code works from bake/ (ts-jest) and from dist/bake/ (compiled).
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'images'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the bake package root above ${from}`);
    dir = parent;
  }
  return dir;
}

export function bakeVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
