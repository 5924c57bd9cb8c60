import { existsSync, readFileSync } from 'node:fs';
import { silentLogger } from '../../../bake/common/log';
import { sha256Hex } from '../../../bake/common/sha256';
import { gorootIntegrityCheck } from '../../../bake/readiness/checks/goroot-integrity';
import { tlsCaBundleCheck } from '../../../bake/readiness/checks/tls-ca-bundle';
import { userNonRootCheck } from '../../../bake/readiness/checks/user-non-root';
import { expectations, FakeDriver } from './fake-driver';

const goBinary = Buffer.from('\x7fELF pretend go binary');
const exp = expectations({ goBinarySha256: sha256Hex(goBinary) });

describe('goroot.integrity', () => {
  const driver = (stdout: string, binary: Buffer | undefined = goBinary) => {
    const d = new FakeDriver().on('stat -c', { stdout });
    if (binary) d.files.set('/usr/local/go/bin/go', binary);
    return d;
  };

  test('passes for a root-owned tree with nothing writable and the verified go binary', async () => {
    const r = await gorootIntegrityCheck.run(driver('0 755\n---\n---\n'), exp, silentLogger);
    expect(r.status).toBe('pass');
    expect(r.evidence[1]).toMatchObject({
      output: `${exp.goBinarySha256} (${goBinary.length} bytes)`,
      expected: exp.goBinarySha256,
    });
  });

  test('fails on writable paths, foreign owners and a changed go binary', async () => {
    const d = driver('0 755\n---\n/usr/local/go/bin\n---\n/usr/local/go/pkg/tool\n', Buffer.from('tampered'));
    const r = await gorootIntegrityCheck.run(d, exp, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('1 paths in /usr/local/go are group- or world-writable, e.g. /usr/local/go/bin (and 2 more)');
    const owned = await gorootIntegrityCheck.run(driver('10001 755\n---\n---\n'), exp, silentLogger);
    expect(owned.reason).toBe('/usr/local/go is owned by uid 10001, not root');
  });

  test('fails when GOROOT is missing', async () => {
    const d = new FakeDriver().on('stat -c', {
      exitCode: 3,
      stderr: "stat: cannot statx '/usr/local/go': No such file or directory\n",
    });
    const r = await gorootIntegrityCheck.run(d, exp, silentLogger);
    expect(r.reason).toBe(
      'cannot inspect /usr/local/go (exit 3): ' +
        "stat: cannot statx '/usr/local/go': No such file or directory (and 1 more)",
    );
  });
});

describe('user.non-root', () => {
  const driver = (user: string, ids: string, notWritable: string[] = []) =>
    new FakeDriver()
      .withConfig({ user })
      .on('id -u', { stdout: ids })
      .on('mktemp -p', (argv) => ({
        stdout: argv
          .slice(4)
          .map((d) => `${notWritable.includes(d) ? 'NOT WRITABLE' : 'writable'} ${d}`)
          .join('\n'),
      }));

  test('passes for the build user with writable HOME, GOPATH and caches', async () => {
    const d = driver('gobuild', '10001\n10001\n');
    const r = await userNonRootCheck.run(d, exp, silentLogger);
    expect(r.status).toBe('pass');
    expect(d.calls[1]?.argv.slice(4)).toEqual([
      '/home/gobuild',
      '/home/gobuild/go',
      '/home/gobuild/.cache/go-build',
      '/home/gobuild/go/pkg/mod',
    ]);
    expect(d.calls[1]?.opts).toEqual({ user: 'gobuild' });
  });

  test('fails when the image runs as root', async () => {
    const r = await userNonRootCheck.run(driver('', '0\n0\n'), exp, silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: "the image's default user is root (User is empty), not gobuild (10001) (and 2 more)",
    });
    expect(r.evidence[0]).toMatchObject({ command: 'image config User', output: '(empty: root)' });
  });

  test('fails when a cache directory is not writable', async () => {
    const r = await userNonRootCheck.run(
      driver('10001:10001', '10001\n10001\n', ['/home/gobuild/.cache/go-build']),
      exp,
      silentLogger,
    );
    expect(r).toMatchObject({ status: 'fail', reason: 'not writable by gobuild: /home/gobuild/.cache/go-build' });
  });

  test('runtime images only need a writable HOME', async () => {
    const d = driver('gobuild', '10001\n10001\n');
    expect((await userNonRootCheck.run(d, expectations({ kind: 'runtime' }), silentLogger)).status).toBe('pass');
    expect(d.calls[1]?.argv.slice(4)).toEqual(['/home/gobuild']);
  });
});

// A real public CA certificate from the host's bundle, so the PEM parsing is tested on real data.
const hostBundle = '/etc/ssl/certs/ca-certificates.crt';
const hostCert = existsSync(hostBundle)
  ? /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/.exec(readFileSync(hostBundle, 'utf8'))?.[0]
  : undefined;
if (!hostCert)
  console.warn(
    `SKIPPED tls.ca-bundle pass cases: no certificate in ${hostBundle} on this host (apt-get install ca-certificates)`,
  );
const withCert = hostCert ? test : test.skip;

describe('tls.ca-bundle', () => {
  const probe = (certPool: boolean) =>
    JSON.stringify({
      go: 'go1.22.12',
      goos: 'linux',
      goarch: 'amd64',
      uid: 10001,
      gid: 10001,
      certPool,
      timeZone: true,
      ...(certPool ? {} : { certPoolError: 'system certificate pool is empty' }),
    });

  withCert('passes with parseable certificates where Go looks, loaded by the probe', async () => {
    const d = new FakeDriver().on('test -x', {}).on('/usr/local/bin/bake-probe', { stdout: probe(true) });
    d.files.set(exp.caBundlePath, Buffer.from(hostCert! + hostCert!));
    const r = await tlsCaBundleCheck.run(d, exp, silentLogger);
    expect(r).toMatchObject({
      status: 'pass',
      reason: '/etc/ssl/certs/ca-certificates.crt: 2 certificates, loaded by Go',
    });
  });

  test('fails on a bundle with BEGIN lines but no real certificate', async () => {
    const d = new FakeDriver().on('test -x', { exitCode: 1 });
    d.files.set(
      exp.caBundlePath,
      Buffer.from('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'),
    );
    const r = await tlsCaBundleCheck.run(d, exp, silentLogger);
    expect(r.reason).toMatch(/^\/etc\/ssl\/certs\/ca-certificates\.crt holds no parseable PEM certificate/);
    expect(r.evidence[0]?.output).toContain('0 certificates parsed, 1 unparsable');
  });

  withCert('fails when Go cannot load the pool, and when the path is not one Go reads', async () => {
    const d = new FakeDriver().on('test -x', {}).on('/usr/local/bin/bake-probe', { stdout: probe(false) });
    d.files.set(exp.caBundlePath, Buffer.from(hostCert!));
    expect((await tlsCaBundleCheck.run(d, exp, silentLogger)).reason).toBe(
      'Go cannot load a system certificate pool (/usr/local/bin/bake-probe: system certificate pool is empty)',
    );
    const elsewhere = await tlsCaBundleCheck.run(
      new FakeDriver(),
      expectations({ caBundlePath: '/opt/certs.pem' }),
      silentLogger,
    );
    expect(elsewhere.reason).toMatch(/^\/opt\/certs\.pem is not among the files Go reads on Linux/);
  });

  test('runtime images must ship the probe', async () => {
    const r = await tlsCaBundleCheck.run(new FakeDriver(), expectations({ kind: 'runtime' }), silentLogger);
    expect(r.reason).toBe('/etc/ssl/certs/ca-certificates.crt does not exist (and 1 more)');
  });
});
