import { goLoginShellCheck } from '../../../../bake/readiness/checks/go-login-shell';
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

describe('go.login-shell', () => {
  const loginOutput = (env: Record<string, string>, path = '/usr/local/go/bin/go') =>
    `${path}\n--- env ---\n${envLines(env)}\n--- go env ---\n${goEnvJson(goVars)}\n`;

  test(
    'runs a login shell of the build user from an empty environment ' + 'and passes when profile.d exports everything',
    async () => {
      const d = new FakeDriver().on('command -v go', {
        stdout: loginOutput({ ...goVars, PATH: '/usr/local/go/bin:/usr/bin:/bin', HOME: '/home/gobuild' }),
      });
      const r = await goLoginShellCheck.run(d, expect0, silentLogger);
      expect(r.status).toBe('pass');
      expect(d.calls[0]?.opts).toEqual({
        user: 'gobuild',
        loginShell: true,
        env: { HOME: '/home/gobuild', USER: 'gobuild', LOGNAME: 'gobuild' },
      });
    },
  );

  test('fails when the profile script does not export GOSUMDB, even though go falls back to go.env', async () => {
    const { GOSUMDB: _dropped, ...withoutSumdb } = goVars;
    const d = new FakeDriver().on('command -v go', {
      stdout: loginOutput({ ...withoutSumdb, PATH: '/usr/local/go/bin:/usr/bin:/bin' }),
    });
    const r = await goLoginShellCheck.run(d, expect0, silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: 'GOSUMDB is not set in the login shell; expected "sum.golang.org"',
    });
    expect(r.evidence[1]?.output).toContain('GOSUMDB (unset)');
  });

  test('fails when the login shell does not find go', async () => {
    const d = new FakeDriver().on('command -v go', {
      exitCode: 127,
      stdout: `--- env ---\nPATH=/usr/bin:/bin\n--- go env ---\n`,
      stderr: 'go: not found on PATH=/usr/bin:/bin\n',
    });
    const r = await goLoginShellCheck.run(d, expect0, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toMatch(/^the login shell does not find go: go: not found on PATH=\/usr\/bin:\/bin/);
  });
});
