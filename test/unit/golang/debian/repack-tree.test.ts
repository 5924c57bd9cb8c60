import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../../../bake/common/errors';
import { listRepackTree, safeMode } from '../../../../bake/golang/debian/repack-tree';
import { scratchDir } from '../../scratch-dir';

/** Debian's split GOROOT: usr/lib/go-1.27 with `src` a symlink into usr/share/go-1.27. */
function debianTree(): { root: string; goRoot: string } {
  const root = scratchDir('bake-repack-');
  const goRoot = join(root, 'usr/lib/go-1.27');
  mkdirSync(join(goRoot, 'bin'), { recursive: true });
  mkdirSync(join(root, 'usr/share/go-1.27/src/fmt'), { recursive: true });
  writeFileSync(join(goRoot, 'bin/go'), 'ELF');
  chmodSync(join(goRoot, 'bin/go'), 0o4777);
  writeFileSync(join(goRoot, 'VERSION'), 'go1.27.4');
  writeFileSync(join(root, 'usr/share/go-1.27/src/fmt/print.go'), 'package fmt');
  symlinkSync('../../share/go-1.27/src', join(goRoot, 'src'));
  return { root, goRoot };
}

describe('listRepackTree', () => {
  test('real files and directories under go/, symlinks followed, sorted, directories before contents', async () => {
    const { root, goRoot } = debianTree();
    const entries = await listRepackTree({ goRoot, within: root });
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ['go/', 'directory'],
      ['go/VERSION', 'file'],
      ['go/bin/', 'directory'],
      ['go/bin/go', 'file'],
      ['go/src/', 'directory'],
      ['go/src/fmt/', 'directory'],
      ['go/src/fmt/print.go', 'file'],
    ]);
    const print = entries.find((e) => e.name === 'go/src/fmt/print.go')!;
    expect(print).toMatchObject({ size: 11, source: join(root, 'usr/share/go-1.27/src/fmt/print.go') });
    // Nobody but root may write, and no set-id bit survives.
    expect(entries.find((e) => e.name === 'go/bin/go')!.mode).toBe(0o755);
  });

  test('another prefix', async () => {
    const { root, goRoot } = debianTree();
    expect((await listRepackTree({ goRoot, within: root, prefix: 'x' }))[0].name).toBe('x/');
  });

  test('a symlink out of the packages is refused, naming it and its target', async () => {
    const { root, goRoot } = debianTree();
    symlinkSync('/etc', join(goRoot, 'etc'));
    await expect(listRepackTree({ goRoot, within: root })).rejects.toMatchObject({
      exitCode: ExitCode.Failure,
      message: 'go/etc: symlink to /etc points outside the Debian packages; cannot repack',
    });
  });

  test('a dangling symlink is refused too', async () => {
    const { root, goRoot } = debianTree();
    symlinkSync('nowhere', join(goRoot, 'dangling'));
    await expect(listRepackTree({ goRoot, within: root })).rejects.toThrow(
      'go/dangling: symlink to nowhere points outside the Debian packages',
    );
  });

  test('a symlink loop is refused', async () => {
    const { root, goRoot } = debianTree();
    symlinkSync('..', join(goRoot, 'bin', 'up'));
    await expect(listRepackTree({ goRoot, within: root })).rejects.toThrow('go/bin/up: symlink loop; cannot repack');
  });

  test('anything but files and directories is refused', async () => {
    const { root, goRoot } = debianTree();
    expect(spawnSync('mkfifo', [join(goRoot, 'fifo')]).status).toBe(0);
    await expect(listRepackTree({ goRoot, within: root })).rejects.toThrow(
      'go/fifo: not a regular file or directory; cannot repack',
    );
  });
});

describe('safeMode', () => {
  test('keeps read and execute bits, drops write for group and others and every special bit', () => {
    expect(safeMode(0o100755)).toBe(0o755);
    expect(safeMode(0o4777)).toBe(0o755);
    expect(safeMode(0o666)).toBe(0o644);
    expect(safeMode(0o1777)).toBe(0o755);
    expect(safeMode(0o444)).toBe(0o444);
  });
});
