import { silentLogger } from '../../../../bake/common/log';
import { forbiddenEntry, runtimeMinimalCheck } from '../../../../bake/readiness/checks/runtime-minimal';
import { expectations, FakeDriver } from '../fake-driver';

const runtime = expectations({ kind: 'runtime', sizeBudgetMB: 5 });

/** What a distroless-style runtime image holds. */
const CLEAN_LAYER = [
  { path: '/etc/ssl/certs/ca-certificates.crt' },
  { path: '/usr/share/zoneinfo/UTC' },
  { path: '/usr/share/zoneinfo', type: 'directory' as const },
  { path: '/etc/passwd' },
  { path: '/var/lib/dpkg/status.d/tzdata' },
  { path: '/usr/share/doc/tzdata/copyright' },
  { path: '/tmp', type: 'directory' as const },
];

describe('runtime.minimal', () => {
  const driver = (extra: { path: string; type?: 'file' | 'symlink' | 'link' }[] = []) => {
    const d = new FakeDriver().withLayers([...CLEAN_LAYER, ...extra]);
    d.files.set('/usr/share/zoneinfo/UTC', Buffer.from('TZif2\0\0\0'));
    d.files.set(runtime.caBundlePath, Buffer.from('-----BEGIN CERTIFICATE-----\n'));
    return d;
  };

  test('passes with tzdata and the CA bundle and nothing forbidden, running nothing in the image', async () => {
    const d = driver();
    const r = await runtimeMinimalCheck.run(d, runtime, silentLogger);
    expect(r).toMatchObject({ status: 'pass' });
    expect(d.calls).toEqual([]);
    expect(r.evidence[0].output).toBe(`${CLEAN_LAYER.length} entries, none of them forbidden`);
  });

  test('fails on a shell, a package manager, a compiler, the probe and a package cache, naming each', async () => {
    const r = await runtimeMinimalCheck.run(
      driver([
        { path: '/bin/sh', type: 'symlink' },
        { path: '/usr/bin/dpkg' },
        { path: '/usr/local/go/bin/go' },
        { path: '/usr/local/bin/bake-probe' },
        { path: '/var/lib/apt/lists/mirror.example_debian_dists_bookworm_InRelease' },
      ]),
      runtime,
      silentLogger,
    );
    expect(r.status).toBe('fail');
    expect(r.evidence[0].output.split('\n')).toEqual([
      '/bin/sh (shell, layer 1)',
      '/usr/bin/dpkg (package manager, layer 1)',
      '/usr/local/go/bin/go (compiler, layer 1)',
      '/usr/local/bin/bake-probe (bake test binary, layer 1)',
      '/var/lib/apt/lists/mirror.example_debian_dists_bookworm_InRelease (package manager cache, layer 1)',
    ]);
    expect(r.reason).toMatch(/^not minimal: \/bin\/sh \(shell, layer 1\), /);
  });

  test('fails when tzdata or the CA bundle is missing', async () => {
    const d = new FakeDriver().withLayers(CLEAN_LAYER);
    const r = await runtimeMinimalCheck.run(d, runtime, silentLogger);
    expect(r.reason).toBe('tzdata is missing (/usr/share/zoneinfo/UTC) (and 1 more)');
    expect(r.evidence[1]).toMatchObject({ command: 'read /usr/share/zoneinfo/UTC', output: 'missing' });
  });

  test('a whiteout, a directory or a program name outside program directories is not a finding', () => {
    expect(forbiddenEntry({ path: '/bin/.wh.sh', type: 'file' }, '/usr/local/go')).toBeUndefined();
    expect(forbiddenEntry({ path: '/usr/bin/go', type: 'directory' }, '/usr/local/go')).toBeUndefined();
    expect(forbiddenEntry({ path: '/usr/share/doc/go', type: 'file' }, '/usr/local/go')).toBeUndefined();
    expect(forbiddenEntry({ path: '/var/lib/apt/lists/lock', type: 'file' }, '/usr/local/go')).toBeUndefined();
    expect(forbiddenEntry({ path: '/usr/local/go/src/fmt/print.go', type: 'file' }, '/usr/local/go')).toBe(
      'Go distribution',
    );
  });
});
