import { PROBE_PATH } from '../../../../bake/render/probe';
import { existsSync, readFileSync } from 'node:fs';
import { silentLogger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import { tlsCaBundleCheck } from '../../../../bake/readiness/checks/tls-ca-bundle';
import { expectations, FakeDriver } from '../fake-driver';

const goBinary = Buffer.from('\x7fELF pretend go binary');
const exp = expectations({ goBinarySha256: sha256Hex(goBinary) });

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

/** A check container: bake's probe is there to be run. */
const withProbe = (d: FakeDriver) => {
  d.files.set(PROBE_PATH, Buffer.from('\x7fELF probe'));
  return d;
};

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
    const d = withProbe(new FakeDriver().on(PROBE_PATH, { stdout: probe(true) }));
    d.files.set(exp.caBundlePath, Buffer.from(hostCert! + hostCert!));
    const r = await tlsCaBundleCheck.run(d, exp, silentLogger);
    expect(r).toMatchObject({
      status: 'pass',
      reason: '/etc/ssl/certs/ca-certificates.crt: 2 certificates, loaded by Go',
    });
  });

  withCert('runs the probe as the build user, or as the image user where there is no build user', async () => {
    const run = async (passwd: string) => {
      const d = withProbe(new FakeDriver().on(PROBE_PATH, { stdout: probe(true) }));
      d.files.set(exp.caBundlePath, Buffer.from(hostCert!));
      d.files.set('/etc/passwd', Buffer.from(passwd));
      expect((await tlsCaBundleCheck.run(d, exp, silentLogger)).status).toBe('pass');
      return d.calls.find((c) => c.argv[0] === PROBE_PATH)?.opts.user;
    };
    expect(await run(`root:x:0:0::/root:/bin/sh\n${exp.user.name}:x:10001:10001::/home/x:/bin/sh\n`)).toBe(
      exp.user.name,
    );
    expect(await run('root:x:0:0::/root:/bin/sh\n')).toBeUndefined();
  });

  test('fails on a bundle with BEGIN lines but no real certificate', async () => {
    const d = new FakeDriver();
    d.files.set(
      exp.caBundlePath,
      Buffer.from('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n'),
    );
    const r = await tlsCaBundleCheck.run(d, exp, silentLogger);
    expect(r.reason).toMatch(/^\/etc\/ssl\/certs\/ca-certificates\.crt holds no parseable PEM certificate/);
    expect(r.evidence[0]?.output).toContain('0 certificates parsed, 1 unparsable');
  });

  withCert('fails when Go cannot load the pool, and when the path is not one Go reads', async () => {
    const d = withProbe(new FakeDriver().on(PROBE_PATH, { stdout: probe(false) }));
    d.files.set(exp.caBundlePath, Buffer.from(hostCert!));
    expect((await tlsCaBundleCheck.run(d, exp, silentLogger)).reason).toBe(
      'Go cannot load a system certificate pool (/.bake/bake-probe: system certificate pool is empty)',
    );
    const elsewhere = await tlsCaBundleCheck.run(
      new FakeDriver(),
      expectations({ caBundlePath: '/opt/certs.pem' }),
      silentLogger,
    );
    expect(elsewhere.reason).toMatch(/^\/opt\/certs\.pem is not among the files Go reads on Linux/);
  });

  test('image checks need the probe in the check container; a VM template may lack it', async () => {
    const r = await tlsCaBundleCheck.run(new FakeDriver(), expectations({ kind: 'runtime' }), silentLogger);
    expect(r.reason).toBe('/etc/ssl/certs/ca-certificates.crt does not exist (and 1 more)');
    expect(r.evidence).toHaveLength(1);
    const vm = await tlsCaBundleCheck.run(new FakeDriver(), expectations({ kind: 'vm' }), silentLogger);
    expect(vm.reason).toBe('/etc/ssl/certs/ca-certificates.crt does not exist');
    expect(vm.evidence[1]).toEqual({
      command: `read ${PROBE_PATH}`,
      output: 'missing',
      expected: 'optional on a VM template',
    });
  });
  withCert("the site's CA (ca.extra): in the bundle and loaded by Go, or each failure named", async () => {
    const { X509Certificate } = await import('node:crypto');
    const sha256 = new X509Certificate(hostCert!).fingerprint256.replace(/:/g, '').toLowerCase();
    const site = { file: 'files/corp-root.pem', subject: 'CN=Corp Root', sha256, pem: hostCert! };
    const withSite = expectations({
      goBinarySha256: exp.goBinarySha256,
      target: { ...exp.target, ca: { extra: [site] } },
    });
    const run = async (bundle: string, trusts: string) => {
      const d = withProbe(
        new FakeDriver().on(`${PROBE_PATH} trusts`, { stdout: trusts }).on(PROBE_PATH, { stdout: probe(true) }),
      );
      d.files.set(exp.caBundlePath, Buffer.from(bundle));
      return { r: await tlsCaBundleCheck.run(d, withSite, silentLogger), d };
    };
    const ok = await run(hostCert!, `trusted ${sha256}\n`);
    expect(ok.r).toMatchObject({
      status: 'pass',
      reason: "/etc/ssl/certs/ca-certificates.crt: 1 certificates, the site's 1 CA(s) among them, loaded by Go",
    });
    // The probe is handed the certificate (base64 DER) and run as the build user; evidence names it by hash.
    const call = ok.d.calls.find((c) => c.argv[1] === 'trusts')!;
    expect(call.opts.user).toBe(exp.user.name);
    expect(JSON.stringify(ok.r.evidence)).not.toContain(call.argv[2]);
    const notLoaded = await run(hostCert!, `NOT TRUSTED ${sha256}: not in the system certificate pool\n`);
    expect(notLoaded.r.status).toBe('fail');
    expect(notLoaded.r.reason).toContain(
      "Go's x509.SystemCertPool does not load the site's CA CN=Corp Root (not in the system certificate pool)",
    );
    // A bundle with another CA only: the site's is missing from it.
    const other = readFileSync(hostBundle, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g,
    )!;
    const absent = await run(
      other.find((c) => c !== hostCert)!,
      `trusted ${sha256}\n`,
    );
    expect(absent.r).toMatchObject({
      status: 'fail',
      reason: "/etc/ssl/certs/ca-certificates.crt does not hold the site's CA CN=Corp Root (files/corp-root.pem)",
    });
  });
});
