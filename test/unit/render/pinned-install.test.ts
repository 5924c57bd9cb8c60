import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installSpecs, renderDockerfile } from '../../../bake/render/dockerfile';
import { readImageFile } from '../../../bake/render/image-files';
import type { PlannedPackages } from '../../../bake/plan/types';
import { fixtureCore, handMadeTarget } from './render-fixtures';
import { sandbox } from './hostile-fixtures';

const pins = (packages: PlannedPackages) => packages;
const templates = (kind: 'toolchain' | 'runtime') => ({
  kind: readImageFile(`${kind}/Dockerfile.tmpl`).toString('utf8'),
  builder: readImageFile('stages/builder.Dockerfile.tmpl').toString('utf8'),
  sources: [],
});

describe('pinned install steps', () => {
  const debian = handMadeTarget();
  const packages = pins({
    pinned: true,
    manager: 'apt',
    images: {
      toolchain: [
        { name: 'git', version: '1:2.39.5-0+deb12u2', arch: 'amd64' },
        { name: 'git-man', version: '1:2.39.5-0+deb12u2', arch: 'all' },
      ],
      runtime: [{ name: 'tzdata', version: '2025b-0+deb12u1', arch: 'all' }],
    },
  });

  test('apt: name=version for every resolved package, without recommends, and no lists left in the layer', () => {
    const dockerfile = renderDockerfile({ ...fixtureCore(debian), packages }, 'toolchain', templates('toolchain'));
    expect(dockerfile).toContain(
      'apt-get install -y --no-install-recommends -- git=1:2.39.5-0+deb12u2 git-man=1:2.39.5-0+deb12u2',
    );
    expect(dockerfile).toContain('find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete');
    expect(renderDockerfile({ ...fixtureCore(debian), packages }, 'runtime', templates('runtime'))).toContain(
      '--no-install-recommends -- tzdata=2025b-0+deb12u1',
    );
  });

  describe('a base that already has every pin installed at its version needs no archive', () => {
    const box = sandbox();
    afterAll(() => box.close());
    // dpkg-query answers from a file: one `STATUS NAME=VERSION` line per installed package.
    writeFileSync(
      join(box.bin, 'dpkg-query'),
      '#!/bin/sh\nwhile read -r status pin; do printf \'%s %s\\n\' "$status" "$pin"; done <"$STUB_INSTALLED"\n',
    );
    const hostile = "1.0$(touch PWNED)'";
    const runtime = pins({
      pinned: true,
      manager: 'apt',
      images: {
        runtime: [
          { name: 'ca-certificates', version: '20250419~deb12u2', arch: 'all' },
          { name: 'tzdata', version: hostile, arch: 'all' },
        ],
      },
    });
    const body = installStep(
      renderDockerfile({ ...fixtureCore(debian), packages: runtime }, 'runtime', templates('runtime')),
    );
    const runWith = (installed: string[]) => {
      const file = join(box.dir, `installed-${installed.length}-${installed.join('').length}`);
      writeFileSync(file, installed.map((l) => `${l}\n`).join(''));
      const before = box.calls('apt-get').length;
      const [result] = box.runEach([`STUB_INSTALLED=${file}; export STUB_INSTALLED; ${body}`]);
      return { result, aptCalls: box.calls('apt-get').length - before };
    };

    test('all installed at the pinned versions (in any order): apt is not run', () => {
      const { result, aptCalls } = runWith([`ii tzdata=${hostile}`, 'ii ca-certificates=20250419~deb12u2']);
      expect(result.syntax.status).toBe(0);
      expect(result.run.status).toBe(0);
      expect(result.run.stdout).toContain('every pinned package is installed at its version');
      expect(aptCalls).toBe(0);
      expect(box.pwned()).toEqual([]);
    });

    test.each([
      ['another version', ['ii ca-certificates=20250419~deb12u2', 'ii tzdata=2024a-0+deb12u1']],
      ['one missing', ['ii ca-certificates=20250419~deb12u2']],
      ['removed, its configuration left', ['ii ca-certificates=20250419~deb12u2', `rc tzdata=${hostile}`]],
    ])('%s: apt installs the pins', (_, installed) => {
      const { result, aptCalls } = runWith(installed);
      expect(result.run.status).toBe(0);
      // update, install, clean
      expect(aptCalls).toBe(3);
      expect(box.calls('apt-get').at(-2)).toEqual([
        'apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        '--',
        'ca-certificates=20250419~deb12u2',
        `tzdata=${hostile}`,
      ]);
      expect(box.pwned()).toEqual([]);
    });
  });

  test('dnf: NAME-VERSION-RELEASE, the epoch dropped', () => {
    const rhel = handMadeTarget({ family: 'rhel' });
    const dnf = pins({
      pinned: true,
      manager: 'dnf',
      images: {
        toolchain: [
          { name: 'git', version: '2.43.5-1.el9_4', arch: 'x86_64' },
          { name: 'perl-Git', version: '0:2.43.5-1.el9_4', arch: 'noarch' },
        ],
      },
    });
    expect(installSpecs({ target: rhel, packages: dnf }, 'toolchain', ['git'])).toEqual([
      'git-2.43.5-1.el9_4',
      'perl-Git-2.43.5-1.el9_4',
    ]);
    expect(renderDockerfile({ ...fixtureCore(rhel), packages: dnf }, 'toolchain', templates('toolchain'))).toContain(
      'yum install -y --setopt=tsflags=nodocs git-2.43.5-1.el9_4 perl-Git-2.43.5-1.el9_4',
    );
  });

  test('unpinned (the repositories are not reachable): the names, as before', () => {
    const unpinned = pins({ pinned: false, manager: 'dnf', images: {}, note: 'not reachable' });
    expect(installSpecs({ target: debian, packages: unpinned }, 'toolchain', ['ca-certificates', 'git'])).toEqual([
      'ca-certificates',
      'git',
    ]);
  });
});

/** The install step's RUN body (its continuation lines included), as Docker hands it to sh -c. */
function installStep(dockerfile: string): string {
  const lines = dockerfile.split('\n');
  const start = lines.findIndex((l) => l.startsWith('RUN ') && l.includes('dpkg-query -W'));
  if (start < 0) throw new Error('no install step with the installed-pins check');
  const end = lines.findIndex((l, i) => i >= start && !l.endsWith('\\'));
  return lines
    .slice(start, end + 1)
    .join('\n')
    .replace(/^RUN /, '');
}
