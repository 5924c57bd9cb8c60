import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bakeVersion, packageRoot } from '../../../bake/common/package-root';
import { scratchDir } from '../scratch-dir';

describe('packageRoot', () => {
  test('walks up to the directory holding package.json and images/', () => {
    const root = resolve(__dirname, '..', '..', '..');
    expect(packageRoot(join(root, 'bake', 'engine', 'build'))).toBe(root);
    expect(packageRoot()).toBe(root);
  });

  test('a package.json without images/ (a dependency, a workspace) is not the root', () => {
    const dir = scratchDir('bake-root-');
    writeFileSync(join(dir, 'package.json'), '{}');
    mkdirSync(join(dir, 'images'));
    const nested = join(dir, 'node_modules', 'x', 'lib');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 'package.json'), '{}');
    expect(packageRoot(nested)).toBe(dir);
  });

  test('says where it looked when there is none', () => {
    expect(() => packageRoot('/')).toThrow('cannot find the bake package root above /');
  });
});

describe('bakeVersion', () => {
  test("is package.json's version", () => {
    const pkg = require(resolve(__dirname, '..', '..', '..', 'package.json')) as { version: string };
    expect(bakeVersion()).toBe(pkg.version);
  });
});
