import { silentLogger } from '../../../../bake/common/log';
import { userNonRootCheck } from '../../../../bake/readiness/checks/user-non-root';
import { PROBE_PATH } from '../../../../bake/render/probe';
import { expectations, FakeDriver } from '../fake-driver';

const exp = expectations();

/** What bake's probe prints about the process it runs as. */
const probeReport = (uid: number, gid: number) =>
  JSON.stringify({ go: 'go1.22.12', goos: 'linux', goarch: 'amd64', uid, gid, certPool: true, timeZone: true });

describe('user.non-root', () => {
  const driver = (user: string, ids: [number, number], notWritable: string[] = []) =>
    new FakeDriver()
      .withConfig({ user })
      .on(`${PROBE_PATH} writable`, (argv) => ({
        stdout: argv
          .slice(2)
          .map((d) => (notWritable.includes(d) ? `NOT WRITABLE ${d}: permission denied` : `writable ${d}`))
          .join('\n'),
      }))
      .on(new RegExp(`^${PROBE_PATH}$`), { stdout: probeReport(...ids) });

  test('passes for the build user with writable HOME, GOPATH and caches, through the probe alone', async () => {
    const d = driver('gobuild', [10001, 10001]);
    const r = await userNonRootCheck.run(d, exp, silentLogger);
    expect(r.status).toBe('pass');
    expect(d.calls[0]).toEqual({ argv: [PROBE_PATH], opts: {} });
    expect(d.calls[1]?.argv).toEqual([
      PROBE_PATH,
      'writable',
      '/home/gobuild',
      '/home/gobuild/go',
      '/home/gobuild/.cache/go-build',
      '/home/gobuild/go/pkg/mod',
    ]);
    expect(d.calls[1]?.opts).toEqual({ user: 'gobuild' });
  });

  test('fails when the image runs as root', async () => {
    const r = await userNonRootCheck.run(driver('', [0, 0]), exp, silentLogger);
    expect(r).toMatchObject({
      status: 'fail',
      reason: "the image's default user is root (User is empty), not gobuild (10001) (and 2 more)",
    });
    expect(r.evidence[0]).toMatchObject({ command: 'image config User', output: '(empty: root)' });
  });

  test('fails when a cache directory is not writable, with the reason the probe gave', async () => {
    const r = await userNonRootCheck.run(
      driver('10001:10001', [10001, 10001], ['/home/gobuild/.cache/go-build']),
      exp,
      silentLogger,
    );
    expect(r).toMatchObject({
      status: 'fail',
      reason: 'not writable by gobuild: /home/gobuild/.cache/go-build: permission denied',
    });
  });

  test('fails when the probe cannot run or answers for fewer directories', async () => {
    const noProbe = await userNonRootCheck.run(new FakeDriver().withConfig({ user: 'gobuild' }), exp, silentLogger);
    expect(noProbe.reason).toMatch(/^\/\.bake\/bake-probe printed no report \(exit 127/);
    const short = new FakeDriver()
      .withConfig({ user: 'gobuild' })
      .on(`${PROBE_PATH} writable`, { stdout: 'writable /home/gobuild\n' })
      .on(new RegExp(`^${PROBE_PATH}$`), { stdout: probeReport(10001, 10001) });
    expect((await userNonRootCheck.run(short, exp, silentLogger)).reason).toBe(
      'the writability probe answered for 1 of 4',
    );
  });

  test('runtime images only need a writable HOME', async () => {
    const d = driver('gobuild', [10001, 10001]);
    expect((await userNonRootCheck.run(d, expectations({ kind: 'runtime' }), silentLogger)).status).toBe('pass');
    expect(d.calls[1]?.argv.slice(2)).toEqual(['/home/gobuild']);
  });
});
