import { silentLogger } from '../../../../bake/common/log';
import { runtimeMinimalCheck } from '../../../../bake/readiness/checks/runtime-minimal';
import { expectations, FakeDriver } from '../fake-driver';

const runtime = expectations({ kind: 'runtime', sizeBudgetMB: 256 });

describe('runtime.minimal', () => {
  const withFiles = (d: FakeDriver) => {
    d.files.set('/usr/share/zoneinfo/UTC', Buffer.from('TZif2\0\0\0'));
    d.files.set(runtime.caBundlePath, Buffer.from('-----BEGIN CERTIFICATE-----\n'));
    return d;
  };

  test('passes with tzdata and CA bundle and nothing to report', async () => {
    const d = withFiles(new FakeDriver().on('command -v', { stdout: '' }));
    const r = await runtimeMinimalCheck.run(d, runtime, silentLogger);
    expect(r.status).toBe('pass');
    expect(d.calls[0]?.argv.slice(4)).toEqual(['/usr/local/go', 'go', 'gcc', 'cc', 'c++', 'g++', 'clang']);
  });

  test('fails on compilers, package caches and missing tzdata', async () => {
    const d = new FakeDriver().on('command -v', {
      stdout: 'compiler /usr/bin/gcc\ncache /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease\n',
    });
    d.files.set(runtime.caBundlePath, Buffer.from('x'));
    const r = await runtimeMinimalCheck.run(d, runtime, silentLogger);
    expect(r.reason).toBe('compilers present: /usr/bin/gcc (and 2 more)');
    expect(r.evidence[1]).toMatchObject({ command: 'read /usr/share/zoneinfo/UTC', output: 'missing' });
  });
});
