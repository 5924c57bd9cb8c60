import { installSpecs, renderDockerfile } from '../../../bake/render/dockerfile';
import { readImageFile } from '../../../bake/render/image-files';
import type { PlannedPackages } from '../../../bake/plan/types';
import { fixtureCore, handMadeTarget } from './render-fixtures';

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
