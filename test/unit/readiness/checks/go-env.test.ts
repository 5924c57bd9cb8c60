import { goEnvCheck } from '../../../../bake/readiness/checks/go-env';
import { silentLogger } from '../../../../bake/common/log';
import { expectations, FakeDriver } from '../fake-driver';

const expect0 = expectations();
const goEnvJson = (env: Record<string, string>) =>
  JSON.stringify(
    { GOARCH: 'amd64', GOOS: 'linux', GOVERSION: 'go1.22.12', GOENV: '/home/gobuild/.config/go/env', ...env },
    null,
    '\t',
  );
const goVars = Object.fromEntries(Object.entries(expect0.env).filter(([k]) => k !== 'PATH'));
const envLines = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

describe('go.env', () => {
  const healthy = () =>
    new FakeDriver()
      .on(/^env -i .* go env -json$/, { stdout: goEnvJson({ ...expect0.target.env, GOROOT: '/usr/local/go' }) })
      .on(/^go env -json$/, { stdout: goEnvJson(goVars) })
      .on(/^env$/, { stdout: envLines(expect0.env) });

  test('passes when go env, the process environment and go.env all agree with the plan', async () => {
    const d = healthy();
    const r = await goEnvCheck.run(d, expect0, silentLogger);
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.command)).toEqual([
      'go env -json',
      'env',
      expect.stringMatching(/^env -i HOME=\/home\/gobuild 'PATH=|^env -i HOME=\/home\/gobuild PATH=/),
    ]);
  });

  test('fails with the key, the value seen and the value expected', async () => {
    const d = new FakeDriver()
      .on(/^env -i .* go env -json$/, { stdout: goEnvJson({ ...expect0.target.env, GOTOOLCHAIN: 'auto' }) })
      .on(/^go env -json$/, { stdout: goEnvJson({ ...goVars, GOPROXY: 'direct' }) })
      .on(/^env$/, { stdout: envLines(expect0.env) });
    const r = await goEnvCheck.run(d, expect0, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('GOPROXY is "direct" in go env; expected "https://proxy.golang.org,direct" (and 1 more)');
    expect(r.evidence[0]?.output).toContain('GOPROXY=direct');
    expect(r.evidence[2]?.output).toContain('GOTOOLCHAIN=auto');
  });

  test('fails when go reports telemetry on or local (Go 1.23+), and passes with off', async () => {
    for (const mode of ['local', 'on']) {
      const d = new FakeDriver()
        .on(/^env -i .* go env -json$/, { stdout: goEnvJson({ ...expect0.target.env, GOROOT: '/usr/local/go' }) })
        .on(/^go env -json$/, { stdout: goEnvJson({ ...goVars, GOTELEMETRY: mode }) })
        .on(/^env$/, { stdout: envLines(expect0.env) });
      const r = await goEnvCheck.run(d, expect0, silentLogger);
      expect(r.status).toBe('fail');
      expect(r.reason).toContain(`go env GOTELEMETRY is "${mode}", expected "off"`);
      expect(r.evidence.some((e) => e.output === `GOTELEMETRY=${mode}`)).toBe(true);
    }
    const off = new FakeDriver()
      .on(/^env -i .* go env -json$/, { stdout: goEnvJson({ ...expect0.target.env, GOROOT: '/usr/local/go' }) })
      .on(/^go env -json$/, { stdout: goEnvJson({ ...goVars, GOTELEMETRY: 'off' }) })
      .on(/^env$/, { stdout: envLines(expect0.env) });
    expect((await goEnvCheck.run(off, expect0, silentLogger)).status).toBe('pass');
  });

  test('GONOPROXY and GONOSUMDB default to GOPRIVATE, as go derives them', async () => {
    const env = { ...expect0.env, GOPRIVATE: 'corp.example.com' };
    const exp = expectations({
      env,
      target: { ...expect0.target, env: { ...expect0.target.env, GOPRIVATE: 'corp.example.com' } },
    });
    const derived = {
      ...goVars,
      GOPRIVATE: 'corp.example.com',
      GONOPROXY: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
    };
    const d = new FakeDriver()
      .on(/^env -i .* go env -json$/, { stdout: goEnvJson(derived) })
      .on(/^go env -json$/, { stdout: goEnvJson(derived) })
      .on(/^env$/, { stdout: envLines(env) });
    expect((await goEnvCheck.run(d, exp, silentLogger)).status).toBe('pass');
  });

  test('fails when go env cannot run', async () => {
    const r = await goEnvCheck.run(new FakeDriver(), expect0, silentLogger);
    expect(r).toMatchObject({ status: 'fail', reason: 'go env -json failed (exit 127: go: not found)' });
  });
});
