import { silentLogger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import { gorootIntegrityCheck } from '../../../../bake/readiness/checks/goroot-integrity';
import { expectations, FakeDriver } from '../fake-driver';

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
