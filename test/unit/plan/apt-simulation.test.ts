import { parseSimulatedInstall, statusFromShow } from '../../../bake/plan/apt-simulation';

// Lines as apt 2.6 prints them for `apt-get --simulate install`.
const SIMULATED = [
  'NOTE: This is only a simulation!',
  'Reading package lists...',
  'Inst gcc-12-base (12.2.0-14+deb12u1 Debian:12.15/oldstable [amd64])',
  'Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64]) []',
  'Inst openssl [3.0.15-1~deb12u1] (3.0.16-1~deb12u1 Debian-Security:12/oldstable-security [amd64])',
  'Inst git-man (1:2.39.5-0+deb12u2 Debian:12.15/oldstable [all])',
  'Inst libfoo:arm64 (1.0-1 Debian:12.15/oldstable [arm64])',
  'Conf libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [amd64])',
].join('\n');

describe('parseSimulatedInstall', () => {
  test('every Inst line, new installs and upgrades, with the version apt chose, by name', () => {
    expect(parseSimulatedInstall(SIMULATED)).toEqual([
      { name: 'gcc-12-base', version: '12.2.0-14+deb12u1', arch: 'amd64' },
      { name: 'git-man', version: '1:2.39.5-0+deb12u2', arch: 'all' },
      { name: 'libc6', version: '2.36-9+deb12u14', arch: 'amd64' },
      { name: 'libfoo', version: '1.0-1', arch: 'arm64' },
      { name: 'openssl', version: '3.0.16-1~deb12u1', arch: 'amd64' },
    ]);
  });

  test('nothing to install: nothing', () => {
    expect(
      parseSimulatedInstall('ca-certificates is already the newest version (20230311).\n0 upgraded, 0 newly installed'),
    ).toEqual([]);
  });
});

describe('statusFromShow', () => {
  test('each stanza becomes an installed dpkg status entry, its fields kept', () => {
    const status = statusFromShow('Package: a\nVersion: 1\nDepends: b\n\nPackage: b\nVersion: 2\n\n');
    expect(status).toBe(
      'Package: a\nStatus: install ok installed\nVersion: 1\nDepends: b\n\n' +
        'Package: b\nStatus: install ok installed\nVersion: 2\n',
    );
  });
});
