import { silentLogger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import { userNonRootCheck } from '../../../../bake/readiness/checks/user-non-root';
import { expectations, FakeDriver } from '../fake-driver';

const goBinary = Buffer.from('\x7fELF pretend go binary');
const exp = expectations({ goBinarySha256: sha256Hex(goBinary) });

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
