import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installSpecs, packagesImageOf, renderDockerfile } from '../../../bake/render/dockerfile';
import { readImageFile } from '../../../bake/render/image-files';
import type { PlannedPackages } from '../../../bake/plan/types';
import { fixtureCore, handMadeTarget } from './render-fixtures';
import { sandbox } from './hostile-fixtures';

const pins = (packages: PlannedPackages) => packages;
const templates = (kind: 'toolchain' | 'runtime') => ({
  kind: readImageFile(`${kind}/Dockerfile.tmpl`).toString('utf8'),
  stdCache: readImageFile('stages/std-cache.Dockerfile.tmpl').toString('utf8'),
  builder: readImageFile('stages/builder.Dockerfile.tmpl').toString('utf8'),
  sources: [],
  cacheSources: [],
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

  test("apt: a kind's pinned files come from a packages image named by the pins, mounted for the install", () => {
    const dockerfile = renderDockerfile({ ...fixtureCore(debian), packages }, 'toolchain', templates('toolchain'));
    const ref = packagesImageOf({ target: debian, packages }, 'toolchain')!.ref;
    expect(ref).toMatch(/^bake-cache\/debs:amd64-[0-9a-f]{32}$/);
    expect(dockerfile).toContain(`ARG PACKAGES_IMAGE=${ref}\n`);
    expect(dockerfile).toContain('FROM ${PACKAGES_IMAGE} AS packages\n');
    expect(dockerfile).toMatch(/^RUN --mount=type=bind,from=packages,source=\/debs,target=\/run\/bake-debs if /m);
    // Each kind has its own set; one version more or less is another image.
    const runtimeRef = packagesImageOf({ target: debian, packages }, 'runtime')!.ref;
    expect(runtimeRef).not.toBe(ref);
    const bumped = pins({
      ...packages,
      images: { ...packages.images, toolchain: [{ name: 'git', version: '1:2.39.5-0+deb12u3', arch: 'amd64' }] },
    });
    expect(packagesImageOf({ target: debian, packages: bumped }, 'toolchain')!.ref).not.toBe(ref);
    // Unpinned, or not apt: no packages image, and the step reads the archive as before.
    const unpinned = renderDockerfile({ ...fixtureCore(debian) }, 'toolchain', templates('toolchain'));
    expect(unpinned).not.toContain('PACKAGES_IMAGE');
    expect(unpinned).not.toContain('from=packages');
  });

  describe('the pins come from the packages image; a base that has them all needs nothing', () => {
    const box = sandbox();
    afterAll(() => box.close());
    // dpkg-query answers from a file: one `STATUS NAME=VERSION` line per installed package.
    writeFileSync(
      join(box.bin, 'dpkg-query'),
      '#!/bin/sh\nwhile read -r status pin; do printf \'%s %s\\n\' "$status" "$pin"; done <"$STUB_INSTALLED"\n',
    );
    // apt-get, recorded as before, fails to install .deb files when STUB_DEBS_FAIL is set (a
    // base older than the plan's archive: a dependency the files do not hold).
    const aptStub = join(box.bin, 'apt-get');
    writeFileSync(
      aptStub,
      `${readFileSync(aptStub, 'utf8')}case "$*" in *.deb*) [ -z "$STUB_DEBS_FAIL" ] || exit 100;; esac\n`,
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
    const runWith = (installed: string[], debsFail = false) => {
      const file = join(box.dir, `installed-${installed.length}-${installed.join('').length}`);
      writeFileSync(file, installed.map((l) => `${l}\n`).join(''));
      const before = box.calls('apt-get').length;
      const env = `STUB_INSTALLED=${file} STUB_DEBS_FAIL=${debsFail ? '1' : ''}; export STUB_INSTALLED STUB_DEBS_FAIL`;
      const [result] = box.runEach([`${env}; ${body}`]);
      return { result, calls: box.calls('apt-get').slice(before) };
    };

    test('all installed at the pinned versions (in any order): apt is not run', () => {
      const { result, calls } = runWith([`ii tzdata=${hostile}`, 'ii ca-certificates=20250419~deb12u2']);
      expect(result.syntax.status).toBe(0);
      expect(result.run.status).toBe(0);
      expect(result.run.stdout).toContain('every pinned package is installed at its version');
      expect(calls).toEqual([]);
      expect(box.pwned()).toEqual([]);
    });

    const fromFiles = ['apt-get', 'install', '-y', '--no-install-recommends', '--', '/run/bake-debs/*.deb'];
    test.each([
      ['another version', ['ii ca-certificates=20250419~deb12u2', 'ii tzdata=2024a-0+deb12u1']],
      ['one missing', ['ii ca-certificates=20250419~deb12u2']],
      ['removed, its configuration left', ['ii ca-certificates=20250419~deb12u2', `rc tzdata=${hostile}`]],
    ])("%s: apt installs the packages image's files, reading no archive", (_, installed) => {
      const { result, calls } = runWith(installed);
      expect(result.run.status).toBe(0);
      // The mount is absent here, so the glob stays a word: in a build it names each file.
      expect(calls).toEqual([fromFiles, ['apt-get', 'clean']]);
      expect(box.pwned()).toEqual([]);
    });

    test('files that need more than the base has: apt reads the archive and installs the pins', () => {
      const { result, calls } = runWith(['ii ca-certificates=20250419~deb12u2'], true);
      expect(result.run.status).toBe(0);
      expect(result.run.stdout).toContain('the planned packages need more than this base has; reading the archive');
      expect(calls).toEqual([
        fromFiles,
        ['apt-get', '-o', 'Acquire::Languages=none', 'update'],
        [
          'apt-get',
          'install',
          '-y',
          '--no-install-recommends',
          '--',
          'ca-certificates=20250419~deb12u2',
          `tzdata=${hostile}`,
        ],
        ['apt-get', 'clean'],
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
    .replace(/^RUN (--mount=\S+ )*/, '');
}
