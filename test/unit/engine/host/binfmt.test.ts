import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../bake/common/log';
import { binfmtState, ensureBinfmt, hostArch } from '../../../../bake/engine/host/binfmt';

const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('binfmt state', () => {
  test('reads mount, registration and qemu presence from the given directories', () => {
    const root = mkdtempSync(join(scratch, 'bake-binfmt-'));
    const paths = { binfmtDir: join(root, 'binfmt_misc'), confDir: join(root, 'binfmt.d') };
    mkdirSync(paths.binfmtDir);
    mkdirSync(paths.confDir);
    const foreign = hostArch() === 'arm64' ? 'amd64' : 'arm64';
    const handler = foreign === 'arm64' ? 'qemu-aarch64' : 'qemu-x86_64';
    expect(binfmtState(foreign, paths)).toEqual({
      needed: true,
      handler,
      mounted: false,
      registered: false,
      qemuInstalled: false,
    });
    writeFileSync(join(paths.binfmtDir, 'register'), '');
    writeFileSync(join(paths.confDir, `${handler}.conf`), ':x:M::y::/z:F\n');
    writeFileSync(join(paths.binfmtDir, handler), 'enabled\n');
    expect(binfmtState(foreign, paths)).toEqual({
      needed: true,
      handler,
      mounted: true,
      registered: true,
      qemuInstalled: true,
    });
  });

  test("the host's own architecture needs nothing", async () => {
    const own = hostArch()!;
    expect(binfmtState(own).needed).toBe(false);
    await expect(
      ensureBinfmt(own, silentLogger, { allowInstall: false, facts: { isRoot: false, debianFamily: false } }),
    ).resolves.toBeUndefined();
  });
});
