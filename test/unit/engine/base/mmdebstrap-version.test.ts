import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mmdebstrapVersion } from '../../../../bake/engine/base/base-bootstrap';

// A stand-in mmdebstrap first on PATH: a shell script, so "asked" and "read" give different answers.
describe('mmdebstrapVersion', () => {
  let dir: string;
  const path = process.env.PATH;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bake-mmdebstrap-'));
    process.env.PATH = `${dir}:${path ?? ''}`;
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });
  const script = (body: string) => {
    writeFileSync(join(dir, 'mmdebstrap'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, 'mmdebstrap'), 0o755);
  };

  it("reads the script's own declaration, as --version prints it, without running it", async () => {
    script("echo 'mmdebstrap 0.0.1-asked'\n: <<'PERL'\nour $VERSION = '1.3.5';\nPERL");
    await expect(mmdebstrapVersion()).resolves.toBe('mmdebstrap 1.3.5');
  });

  it('asks the tool when the script declares no version', async () => {
    script("echo 'mmdebstrap 2.0.0'");
    await expect(mmdebstrapVersion()).resolves.toBe('mmdebstrap 2.0.0');
  });

  it('fails with the tool’s message when asking fails', async () => {
    script("echo 'broken install' >&2; exit 3");
    await expect(mmdebstrapVersion()).rejects.toThrow('mmdebstrap --version failed: broken install');
  });
});
