import { silentLogger } from '../../../../bake/common/log';
import { runtimeProbeCheck } from '../../../../bake/readiness/checks/runtime-probe';
import { expectations, FakeDriver } from '../fake-driver';

const runtime = expectations({ kind: 'runtime', sizeBudgetMB: 256 });

describe('runtime.probe', () => {
  const report = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      go: 'go1.22.12',
      goos: 'linux',
      goarch: 'amd64',
      uid: 10001,
      gid: 10001,
      certPool: true,
      timeZone: true,
      ...over,
    });

  test('passes when the probe runs as the build user and loads certificates and time zones', async () => {
    const d = new FakeDriver().on('bake-probe', { stdout: `${report()}\n` });
    const r = await runtimeProbeCheck.run(d, runtime, silentLogger);
    expect(r.status).toBe('pass');
    expect(d.calls[0]).toEqual({ argv: ['/.bake/bake-probe'], opts: { user: 'gobuild' } });
  });

  test('fails on the wrong architecture or a missing time zone database, with the probe error', async () => {
    const d = new FakeDriver().on('bake-probe', {
      stdout: report({ goarch: 'arm64', timeZone: false, timeZoneError: 'unknown time zone Europe/Berlin' }),
    });
    const r = await runtimeProbeCheck.run(d, runtime, silentLogger);
    expect(r.reason).toBe(
      'probe reports goarch="arm64", expected "amd64" (unknown time zone Europe/Berlin) (and 1 more)',
    );
  });

  test('fails when the probe cannot run', async () => {
    const r = await runtimeProbeCheck.run(new FakeDriver(), runtime, silentLogger);
    expect(r.reason).toBe('/.bake/bake-probe did not print its report (exit 127: /.bake/bake-probe: not found)');
  });
});
