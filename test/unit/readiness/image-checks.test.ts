import { silentLogger } from '../../../bake/common/log';
import { imageMetadataCheck } from '../../../bake/readiness/checks/image-metadata';
import { runtimeMinimalCheck } from '../../../bake/readiness/checks/runtime-minimal';
import { runtimeProbeCheck } from '../../../bake/readiness/checks/runtime-probe';
import { expectations, FakeDriver } from './fake-driver';

const MiB = 1024 * 1024;
const runtime = expectations({ kind: 'runtime', sizeBudgetMB: 256 });

describe('image.metadata', () => {
  const labels = { 'io.bake.target': 'debian12-amd64', 'io.bake.go.version': '1.22.12', extra: 'fine' };

  test('passes with the planned labels, platform and a size within budget', async () => {
    const r = await imageMetadataCheck.run(
      new FakeDriver().withConfig({ labels, sizeBytes: 200 * MiB }),
      runtime,
      silentLogger,
    );
    expect(r).toMatchObject({ status: 'pass', reason: '2 labels as planned; linux/amd64; 200 of 256 MiB' });
  });

  test('fails on a missing or different label, the wrong platform, and an image over budget', async () => {
    const d = new FakeDriver().withConfig({
      labels: { 'io.bake.go.version': '1.22.1' },
      sizeBytes: 300 * MiB,
      architecture: 'arm64',
    });
    const r = await imageMetadataCheck.run(d, runtime, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('label io.bake.target is missing (and 3 more)');
    expect(r.evidence.map((e) => e.output)).toEqual([
      'io.bake.target (missing)\nio.bake.go.version=1.22.1',
      'linux/arm64',
      `${300 * MiB} bytes (300.0 MiB)`,
    ]);
  });
});

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
    expect(d.calls[0]).toEqual({ argv: ['/usr/local/bin/bake-probe'], opts: { user: 'gobuild' } });
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
    expect(r.reason).toBe(
      '/usr/local/bin/bake-probe did not print its report (exit 127: /usr/local/bin/bake-probe: not found)',
    );
  });
});

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

describe('probe output', () => {
  test('both spellings of the contract are read, anything else is not a report', async () => {
    const { parseProbeOutput } = await import('../../../bake/readiness/probe-output');
    const draft = parseProbeOutput(
      '{"goVersion":"go1.22.12","goos":"linux","goarch":"arm64","uid":10001,"certPool":true,"timezone":false}\n',
    );
    expect(draft).toEqual({
      goVersion: 'go1.22.12',
      goos: 'linux',
      goarch: 'arm64',
      uid: 10001,
      certPool: true,
      timezone: false,
      errors: [],
    });
    expect(
      parseProbeOutput(
        '{"go":"go1.22.12","goos":"linux","goarch":"amd64","uid":0,' +
          '"certPool":false,"certPoolError":"empty","timeZone":true}',
      )?.errors,
    ).toEqual(['empty']);
    expect(parseProbeOutput('{"goos":"linux"}')).toBeUndefined();
    expect(parseProbeOutput('not json')).toBeUndefined();
  });
});
