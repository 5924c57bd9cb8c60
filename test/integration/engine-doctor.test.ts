import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../bake/common/log';
import { doctor } from '../../bake/engine/daemon/doctor';
import { formatDoctorReport } from '../../bake/engine/daemon/doctor-table';

/** `bake doctor` on this machine: the engine the integration setup provides, and the host tools. */
const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('doctor reports the engine, BuildKit, binfmt, disk and bootstrap tools', async () => {
  const report = await doctor({ stateDir: scratch, logger: silentLogger, allowStart: false });
  console.log(formatDoctorReport(report));
  const item = (id: string) => report.items.find((i) => i.id === id);
  expect(report.engine?.apiVersion).toMatch(/^1\.\d+$/);
  expect(item('engine')?.status).toBe('ok');
  expect(item('buildkit')?.status).toBe('ok');
  expect(item('disk')?.detail).toMatch(/GiB free in \//);
  // This machine builds arm64 under emulation and bootstraps Debian bases (ENVIRONMENT.md).
  expect(item('binfmt.arm64')?.status).toBe('ok');
  expect(item('mmdebstrap')?.status).toBe('ok');
  expect(report.ok).toBe(true);
});
