import { PROBE_PATH } from '../../../../bake/render/probe';
import { silentLogger } from '../../../../bake/common/log';
import { binaryStaticCheck } from '../../../../bake/readiness/checks/binary-static';
import { buildCBinaries } from '../c-binaries';
import { expectations, FakeDriver } from '../fake-driver';

const built = buildCBinaries();
const skip = 'skip' in built ? built.skip : undefined;
if (skip) console.warn(`SKIPPED binary.static decision tests: ${skip}`);
const withGcc = skip ? test.skip : test;
const bins = 'skip' in built ? { staticStripped: Buffer.alloc(0), dynamicUnstripped: Buffer.alloc(0) } : built;

const PROBE_OUT = '/tmp/tmp.abc/probe';
function toolchainDriver(compiled: Buffer, shipped: Buffer | undefined) {
  const d = new FakeDriver()
    .on('go build', { stdout: `${PROBE_OUT}\n` })
    .on(PROBE_OUT, { stderr: 'static-probe go1.22.12 linux/amd64\n' });
  d.files.set(PROBE_OUT, compiled);
  if (shipped) d.files.set(PROBE_PATH, shipped);
  return d;
}

describe('binary.static', () => {
  withGcc('passes when the fresh probe and the shipped one are static, stripped and run', async () => {
    const d = toolchainDriver(bins.staticStripped, bins.staticStripped);
    const r = await binaryStaticCheck.run(d, expectations(), silentLogger);
    expect(r.status).toBe('pass');
    // Built as the build user, with cgo off and the policy's GOFLAGS cleared.
    expect(d.calls[0]?.opts).toEqual({ user: 'gobuild' });
    expect(d.calls[0]?.argv[2]).toContain('CGO_ENABLED=0 GOFLAGS= go build -trimpath -ldflags "-s -w"');
    expect(r.evidence.map((e) => e.output)).toContainEqual(
      expect.stringContaining('no PT_INTERP; no DT_NEEDED; no .symtab'),
    );
  });

  withGcc('fails on a shipped probe built with cgo (dynamic), naming the loader and libraries', async () => {
    const r = await binaryStaticCheck.run(
      toolchainDriver(bins.staticStripped, bins.dynamicUnstripped),
      expectations(),
      silentLogger,
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(
      /^\/\.bake\/bake-probe: has PT_INTERP \S*ld-linux-x86-64\.so\.2 \(dynamically linked\) \(and 2 more\)$/,
    );
  });

  withGcc('fails when the freshly built probe is for another machine', async () => {
    const r = await binaryStaticCheck.run(
      toolchainDriver(bins.staticStripped, undefined),
      expectations({ arch: 'arm64' }),
      silentLogger,
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^built probe: machine is x86-64, expected aarch64 for arm64/);
  });

  withGcc('fails when the freshly built probe does not run', async () => {
    const crashing = new FakeDriver()
      .on('go build', { stdout: `${PROBE_OUT}\n` })
      .on(PROBE_OUT, { exitCode: 139, stderr: 'Segmentation fault\n' });
    crashing.files.set(PROBE_OUT, bins.staticStripped);
    crashing.files.set(PROBE_PATH, bins.staticStripped);
    const r = await binaryStaticCheck.run(crashing, expectations(), silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: 'the built probe did not run as expected (exit 139: Segmentation fault)',
    });
  });

  test('fails when the probe does not compile, with the compiler output as evidence', async () => {
    const d = new FakeDriver().on('go build', {
      exitCode: 1,
      stderr: 'go: cannot find GOROOT directory: /usr/local/go\n',
    });
    const r = await binaryStaticCheck.run(d, expectations(), silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: 'building the probe failed (exit 1: go: cannot find GOROOT directory: /usr/local/go) (and 1 more)',
    });
    expect(r.evidence[0]?.output).toContain('cannot find GOROOT');
  });

  withGcc('runtime images only need the shipped probe, and it must be there', async () => {
    const d = new FakeDriver();
    const missing = await binaryStaticCheck.run(d, expectations({ kind: 'runtime' }), silentLogger);
    expect(missing).toMatchObject({ status: 'fail', reason: '/.bake/bake-probe is missing' });
    expect(d.calls).toEqual([]);
    d.files.set(PROBE_PATH, bins.staticStripped);
    expect((await binaryStaticCheck.run(d, expectations({ kind: 'runtime' }), silentLogger)).status).toBe('pass');
  });
  withGcc("runs each of the recipe's tools as the build user: --version, else -h with its usage", async () => {
    const tools = [
      { name: 'corp-hello', package: 'corp.example.com/tool/cmd/hello' },
      { name: 'denied', package: 'corp.example.com/tool/cmd/denied' },
    ];
    const exp = expectations();
    const withTools = expectations({ target: { ...exp.target, tools } });
    const d = toolchainDriver(bins.staticStripped, bins.staticStripped)
      .on('/usr/local/bin/corp-hello --version', { exitCode: 2, stderr: 'flag provided but not defined: -version\n' })
      .on('/usr/local/bin/corp-hello -h', { exitCode: 2, stderr: 'Usage of corp-hello:\n' })
      .on('/usr/local/bin/denied', { exitCode: 126, stderr: 'permission denied\n' });
    d.files.set('/usr/local/bin/corp-hello', bins.staticStripped);
    d.files.set('/usr/local/bin/denied', bins.staticStripped);
    const r = await binaryStaticCheck.run(d, withTools, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe(
      '/usr/local/bin/denied does not run as gobuild: --version exit 126: permission denied; ' +
        '-h exit 126: permission denied',
    );
    const runs = d.calls.filter((c) => c.argv[0].startsWith('/usr/local/bin/'));
    expect(runs.map((c) => [c.argv.join(' '), c.opts.user])).toEqual([
      ['/usr/local/bin/corp-hello --version', 'gobuild'],
      ['/usr/local/bin/corp-hello -h', 'gobuild'],
      ['/usr/local/bin/denied --version', 'gobuild'],
      ['/usr/local/bin/denied -h', 'gobuild'],
    ]);
  });
});
