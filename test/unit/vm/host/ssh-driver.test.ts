import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshDriver } from '../../../../bake/vm/host/ssh-driver';

describe('SshDriver', () => {
  // Stand-ins for ssh and sudo that run the command here, so quoting is tested end to end.
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'bake-ssh-'));
    writeFileSync(
      join(bin, 'ssh'),
      `#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift 2\nPATH='${bin}':$PATH exec sh -c "$1"\n`,
    );
    writeFileSync(
      join(bin, 'sudo'),
      '#!/bin/sh\n' +
        'while [ $# -gt 0 ]; do case $1 in -n) shift ;; -u) shift 2 ;; --) shift; break ;; *) break ;; esac; done\n' +
        'exec "$@"\n',
    );
    chmodSync(join(bin, 'ssh'), 0o755);
    chmodSync(join(bin, 'sudo'), 0o755);
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('runs argv on the host with every word quoted, and env set', async () => {
    const driver = new SshDriver('admin@host', {
      sshOptions: ['-o', 'StrictHostKeyChecking=yes'],
      program: join(bin, 'ssh'),
    });
    const out = await driver.exec(['sh', '-c', 'printf "%s|%s" "$1" "$GREETING"', 'sh', `it's $(id) & "quoted"`], {
      user: 'gobuild',
      env: { GREETING: 'a b;c' },
    });
    expect(out).toEqual({ exitCode: 0, stdout: `it's $(id) & "quoted"|a b;c`, stderr: '' });
    expect((await driver.exec(['false'])).exitCode).toBe(1);
  });

  it('reads files as bytes, and tells a missing file from a failed read', async () => {
    const driver = new SshDriver('admin@host', { program: join(bin, 'ssh') });
    const file = join(bin, 'data');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    expect(await driver.readFile(file)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(await driver.readFile(join(bin, 'missing'))).toBeUndefined();
  });

  it('keeps at most 4 MiB of a chatty command, and ends one that outlives its timeout', async () => {
    const driver = new SshDriver('admin@host', { program: join(bin, 'ssh') });
    const chatty = await driver.exec(['sh', '-c', 'head -c 6000000 /dev/zero | tr "\\0" y']);
    expect(chatty.stdout.length).toBeLessThan(4 * 1024 * 1024 + 100);
    expect(chatty.stdout).toMatch(/\.\.\. \(\d+ more bytes not kept\)$/);
    await expect(driver.exec(['sleep', '30'], { timeoutMs: 300 })).rejects.toThrow(/did not finish within 0.3 s/);
  }, 30_000);
});
