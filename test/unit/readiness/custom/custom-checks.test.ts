import { createHash } from 'node:crypto';
import { silentLogger } from '../../../../bake/common/log';
import { customCheck } from '../../../../bake/readiness/custom/custom-checks';
import { EVIDENCE_MAX_CHARS } from '../../../../bake/readiness/evidence';
import type { CheckOutcome, Driver, FileStat } from '../../../../bake/readiness/types';
import type { CustomCheck } from '../../../../bake/recipe/types';
import { expectations, FakeDriver } from '../fake-driver';

const run = (spec: CustomCheck, driver: Driver): Promise<CheckOutcome> =>
  customCheck(spec).run(driver, expectations(), silentLogger);

/** A FakeDriver that also answers stat(2) for the paths given. */
function withStats(driver: FakeDriver, stats: Record<string, FileStat>): FakeDriver {
  (driver as Driver).stat = async (path) => stats[path];
  return driver;
}
const file = (mode: number, uid = 0, gid = 0): FileStat => ({ type: 'file', mode, uid, gid, size: 10 });

describe('kind: command', () => {
  const spec: CustomCheck = {
    id: 'site.golangci',
    description: 'golangci-lint runs',
    kind: 'command',
    command: ['golangci-lint', '--version'],
    stdout: { matches: 'version \\d+' },
    stderr: { notContains: 'panic' },
  };

  it('passes on exit 0 and matching output; the evidence shows the command and what it printed', async () => {
    const driver = new FakeDriver().on('golangci-lint', { stdout: 'golangci-lint has version 1.59.1\n' });
    const result = await run(spec, driver);
    expect(result.status).toBe('pass');
    expect(result.evidence[0]).toMatchObject({
      command: 'golangci-lint --version',
      output: 'exit 0\ngolangci-lint has version 1.59.1',
      expected: 'exit 0; stdout matches /version \\d+/; stderr does not contain "panic"',
    });
  });

  it('fails on a wrong exit code and on each unmatched stream, all in the evidence', async () => {
    const driver = new FakeDriver().on('golangci-lint', { exitCode: 2, stdout: 'usage', stderr: 'panic: nil' });
    const result = await run(spec, driver);
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('exit 2, expected 0 (and 2 more)');
    expect(result.evidence[0].output).toBe('exit 2\nusage\nstderr: panic: nil');
  });

  it('runs argv as written: metacharacters stay arguments, no shell in between', async () => {
    const hostile = ['echo', '$(touch /tmp/pwned); rm -rf / `id` && x | y > z'];
    const driver = new FakeDriver().on('echo', (argv) => ({ stdout: `${argv.slice(1).join(' ')}\n` }));
    const result = await run({ ...spec, command: hostile, stdout: { equals: hostile[1] }, stderr: undefined }, driver);
    expect(driver.calls.map((c) => c.argv)).toEqual([hostile]);
    expect(result.status).toBe('pass');
    expect(result.evidence[0].command).toBe(`echo '$(touch /tmp/pwned); rm -rf / \`id\` && x | y > z'`);
  });

  it('goes through sh -c only when shell: true is written; user and env are passed on', async () => {
    const driver = new FakeDriver().on('sh -c', { stdout: '3\n' });
    const shellSpec: CustomCheck = {
      id: 'site.count',
      description: 'three files',
      kind: 'command',
      shell: true,
      command: 'ls /etc/profile.d | wc -l',
      user: 'gobuild',
      env: { LC_ALL: 'C' },
      stdout: { equals: '3' },
    };
    expect((await run(shellSpec, driver)).status).toBe('pass');
    expect(driver.calls[0].argv).toEqual(['sh', '-c', 'ls /etc/profile.d | wc -l']);
    expect(driver.calls[0].opts).toMatchObject({ user: 'gobuild', env: { LC_ALL: 'C' }, timeoutMs: 60_000 });
  });

  it('a command that never ends fails at its timeout, and the driver is told the deadline', async () => {
    const calls: unknown[] = [];
    const stuck: Driver = {
      exec: (_argv, opts) => {
        calls.push(opts);
        return new Promise(() => undefined);
      },
      readFile: async () => undefined,
      close: async () => undefined,
    };
    const result = await run({ ...spec, command: ['sleep', 'infinity'], timeoutSeconds: 1 }, stuck);
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('the command did not finish within its timeout of 1 s');
    expect(result.evidence[0].output).toBe('no exit status after 1 s');
    expect(calls).toEqual([{ timeoutMs: 1000 }]);
  });

  it('a huge output is bounded in the evidence, keeping both ends', async () => {
    const huge = `START${'y\n'.repeat(2_000_000)}END`;
    const driver = new FakeDriver().on('yes', { stdout: huge });
    const result = await run({ ...spec, command: ['yes'], stdout: { contains: 'never' }, stderr: undefined }, driver);
    expect(result.status).toBe('fail');
    const output = result.evidence[0].output;
    expect(output.length).toBeLessThanOrEqual(EVIDENCE_MAX_CHARS + 100);
    expect(output).toMatch(/^exit 0\nSTART/);
    expect(output).toMatch(/characters cut/);
    expect(output).toMatch(/END$/);
  });
});

describe('kind: file', () => {
  const passwd = Buffer.from('root:x:0:0:root:/root:/bin/sh\ngobuild:x:10001:10001::/home/gobuild:/bin/sh\n');
  const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const driver = () => {
    const d = withStats(new FakeDriver(), {
      '/etc/ssl/certs/corp.pem': file(0o644),
      '/home/gobuild': { type: 'directory', mode: 0o755, uid: 10001, gid: 10001, size: 4096 },
      '/usr/local/bin/tool': file(0o750),
    });
    d.files.set('/etc/passwd', passwd);
    d.files.set('/etc/ssl/certs/corp.pem', ca);
    return d;
  };
  const sha = createHash('sha256').update(ca).digest('hex');

  it('exists with mode, owner (by name), content and sha256: passes', async () => {
    const spec: CustomCheck = {
      id: 'site.corp-ca',
      description: 'the corporate CA',
      kind: 'file',
      path: '/etc/ssl/certs/corp.pem',
      type: 'file',
      mode: '0644',
      owner: 'root',
      group: 0,
      content: { contains: 'BEGIN CERTIFICATE' },
      sha256: sha,
    };
    const result = await run(spec, driver());
    expect(result).toMatchObject({ status: 'pass' });
    expect(result.evidence.map((e) => e.command)).toEqual([
      'stat /etc/ssl/certs/corp.pem',
      'read /etc/ssl/certs/corp.pem',
    ]);
    expect(result.evidence[0].output).toBe('file, mode 0644, owner 0:0, 10 bytes');
    expect(result.evidence[1].output).toContain(`sha256 ${sha}`);
  });

  it('fails on each difference, naming it', async () => {
    const spec: CustomCheck = {
      id: 'site.corp-ca',
      description: 'the corporate CA',
      kind: 'file',
      path: '/etc/ssl/certs/corp.pem',
      mode: '0600',
      owner: 'gobuild',
      content: { matches: 'BEGIN PRIVATE KEY' },
      sha256: '0'.repeat(64),
    };
    const result = await run(spec, driver());
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('/etc/ssl/certs/corp.pem has mode 0644, expected 0600 (and 3 more)');
  });

  it('a directory, owned by the build user; and one that must be a file', async () => {
    const home: CustomCheck = {
      id: 'site.home',
      description: 'home',
      kind: 'file',
      path: '/home/gobuild',
      type: 'directory',
      owner: 'gobuild',
    };
    expect((await run(home, driver())).status).toBe('pass');
    expect((await run({ ...home, type: 'file' }, driver())).reason).toBe(
      '/home/gobuild is a directory, expected a file',
    );
  });

  it('absent files, executable bits and unknown owners', async () => {
    const absent: CustomCheck = {
      id: 'site.netrc',
      description: 'no netrc',
      kind: 'file',
      path: '/root/.netrc',
      exists: false,
    };
    expect((await run(absent, driver())).status).toBe('pass');
    expect((await run({ ...absent, path: '/home/gobuild' }, driver())).reason).toBe(
      '/home/gobuild exists (directory); expected it absent',
    );
    const tool: CustomCheck = { id: 'site.tool', description: 'tool', kind: 'file', path: '/usr/local/bin/tool' };
    expect((await run({ ...tool, executableBy: 'owner' }, driver())).status).toBe('pass');
    expect((await run({ ...tool, executableBy: 'other' }, driver())).reason).toBe(
      '/usr/local/bin/tool (mode 0750) is not executable by other',
    );
    expect((await run({ ...tool, owner: 'nobody' }, driver())).reason).toBe(
      `owner "nobody" is not in the artifact's /etc/passwd`,
    );
    expect((await run({ ...tool, path: '/missing' }, driver())).reason).toBe('/missing does not exist');
  });

  it('without a driver stat (a host over SSH), stat -L runs as argv', async () => {
    const host = new FakeDriver().on('stat -L', (argv) =>
      argv.includes('/etc/hosts')
        ? { stdout: 'regular file|644|0|0|120\n' }
        : { exitCode: 1, stderr: 'stat: No such file or directory' },
    );
    const spec: CustomCheck = {
      id: 'site.hosts',
      description: 'hosts',
      kind: 'file',
      path: '/etc/hosts',
      mode: '0644',
    };
    expect((await run(spec, host)).status).toBe('pass');
    expect(host.calls[0].argv).toEqual(['stat', '-L', '-c', '%F|%a|%u|%g|%s', '--', '/etc/hosts']);
    expect((await run({ ...spec, path: '/nope' }, host)).reason).toBe('/nope does not exist');
  });
});

describe('kind: env', () => {
  it('go env: passes and fails on the value, with the command as evidence', async () => {
    const driver = new FakeDriver().on('go env GOFLAGS', { stdout: '-mod=readonly -trimpath\n' });
    const spec: CustomCheck = {
      id: 'site.goflags',
      description: 'GOFLAGS',
      kind: 'env',
      source: 'go',
      name: 'GOFLAGS',
      value: { contains: '-mod=readonly' },
    };
    expect((await run(spec, driver)).status).toBe('pass');
    const failed = await run({ ...spec, value: '-mod=vendor' }, driver);
    expect(failed.reason).toBe('go env GOFLAGS is "-mod=readonly -trimpath", expected "-mod=vendor"');
    expect(failed.evidence[0]).toMatchObject({ command: 'go env GOFLAGS', output: 'exit 0\n-mod=readonly -trimpath' });
  });

  it('process: the image config Env (no program needed in the image), or env on a host', async () => {
    const spec: CustomCheck = {
      id: 'site.tz',
      description: 'TZ',
      kind: 'env',
      source: 'process',
      name: 'TZ',
      value: { matches: '^Etc/UTC$' },
    };
    const image = new FakeDriver().withConfig({ env: { TZ: 'Etc/UTC' } });
    expect((await run(spec, image)).status).toBe('pass');
    expect(image.calls).toEqual([]);
    expect((await run(spec, new FakeDriver().withConfig({ env: {} }))).reason).toBe('$TZ is not set');
    const host = new FakeDriver().on(/^env$/, { stdout: 'PATH=/bin\nTZ=Europe/Berlin\n' });
    expect((await run(spec, host)).reason).toBe('$TZ does not match /^Etc/UTC$/');
  });
});

describe('kind: metadata', () => {
  const config = {
    labels: { 'org.opencontainers.image.vendor': 'ACME', 'io.bake.recipe': 'debian12' },
    env: { GOTOOLCHAIN: 'local' },
    user: '10001:10001',
    workingDir: '/home/gobuild',
    entrypoint: [],
    cmd: ['/bin/bash'],
    exposedPorts: ['8080/tcp'],
    volumes: [],
  };
  const spec: CustomCheck = {
    id: 'site.labels',
    description: 'vendor label',
    kind: 'metadata',
    labels: { 'org.opencontainers.image.vendor': 'ACME', 'io.bake.recipe': { matches: '^debian' } },
    env: { GOTOOLCHAIN: 'local' },
    user: '10001:10001',
    workdir: '/home/gobuild',
    entrypoint: [],
    cmd: ['/bin/bash'],
    exposedPorts: ['8080'],
  };

  it('passes when every field matches; the evidence lists what the config holds', async () => {
    const result = await run(spec, new FakeDriver().withConfig(config));
    expect(result.status).toBe('pass');
    expect(result.evidence[0].output).toContain('label org.opencontainers.image.vendor: "ACME"');
  });

  it('fails on a missing label, a wrong user and a port not exposed', async () => {
    const result = await run(
      { ...spec, labels: { 'org.example.team': 'platform' }, user: 'gobuild', exposedPorts: ['9090/udp'] },
      new FakeDriver().withConfig(config),
    );
    expect(result.status).toBe('fail');
    expect(result.reason).toBe('label org.example.team is not set (and 2 more)');
  });

  it('an artifact without an image config cannot pass a metadata check', async () => {
    expect((await run(spec, new FakeDriver())).reason).toMatch(/has no image config/);
  });
});

describe('kind: version', () => {
  const spec: CustomCheck = {
    id: 'site.git-version',
    description: 'git is at least 2.39',
    kind: 'version',
    command: ['git', '--version'],
    range: '>=2.39.0',
  };

  it('semver: the first version in the output, compared with the range', async () => {
    const driver = new FakeDriver().on('git --version', { stdout: 'git version 2.39.5\n' });
    const result = await run(spec, driver);
    expect(result).toMatchObject({ status: 'pass', reason: '2.39.5 is in >=2.39.0' });
    expect(result.evidence[0].output).toBe('exit 0\ngit version 2.39.5\nversion: 2.39.5');
    const old = new FakeDriver().on('git --version', { stdout: 'git version 2.30\n' });
    expect((await run(spec, old)).reason).toBe('version 2.30 (read as 2.30.0) is not in ">=2.39.0"');
  });

  it('debian: a pattern capture, compared in Debian order', async () => {
    const driver = new FakeDriver().on('dpkg-query', { stdout: 'git\t1:2.39.5-0+deb12u2\n' });
    const deb: CustomCheck = {
      ...spec,
      command: ['dpkg-query', '-W', 'git'],
      scheme: 'debian',
      pattern: '\\t(\\S+)',
      range: '>= 1:2.39.5-0+deb12u1',
    };
    expect((await run(deb, driver)).status).toBe('pass');
    expect((await run({ ...deb, range: '>> 1:2.39.5-0+deb12u2' }, driver)).reason).toBe(
      'version 1:2.39.5-0+deb12u2 is not in ">> 1:2.39.5-0+deb12u2"',
    );
  });

  it('a failing command, or output without a version, fails', async () => {
    expect((await run(spec, new FakeDriver())).reason).toBe('the command exited 127');
    const none = new FakeDriver().on('git', { stdout: 'no idea\n' });
    expect((await run(spec, none)).reason).toBe('no version in the output');
  });
});
