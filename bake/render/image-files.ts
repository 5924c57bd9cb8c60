import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../common/package-root';

/**
 * Reads a file of images/ (templates, probe sources). They ship with bake, so reading them is
 * part of rendering, like reading code; the root is found from this file's location so it works
 * from bake/ (ts-jest) and dist/bake/ (compiled) alike.
 */
export function readImageFile(relativePath: string, root: string = packageRoot(__dirname)): Buffer {
  return readFileSync(join(root, 'images', relativePath));
}
