import { silentLogger } from '../../../../bake/common/log';
import { imageMetadataCheck } from '../../../../bake/readiness/checks/image-metadata';
import { expectations, FakeDriver } from '../fake-driver';

const MiB = 1024 * 1024;
const runtime = expectations({ kind: 'runtime', sizeBudgetMB: 256 });

describe('image.metadata', () => {
  const labels = { 'io.bake.target': 'debian12-amd64', 'io.bake.go.version': '1.22.12', extra: 'fine' };

  test('passes with the planned labels, platform and a size within budget', async () => {
    const r = await imageMetadataCheck.run(
      new FakeDriver().withConfig({ labels, sizeBytes: 200 * MiB }),
      runtime,
      silentLogger,
    );
    expect(r).toMatchObject({ status: 'pass', reason: '2 labels as planned; linux/amd64; 200 of 256 MiB' });
  });

  test('fails on a missing or different label, the wrong platform, and an image over budget', async () => {
    const d = new FakeDriver().withConfig({
      labels: { 'io.bake.go.version': '1.22.1' },
      sizeBytes: 300 * MiB,
      architecture: 'arm64',
    });
    const r = await imageMetadataCheck.run(d, runtime, silentLogger);
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('label io.bake.target is missing (and 3 more)');
    expect(r.evidence.map((e) => e.output)).toEqual([
      'io.bake.target (missing)\nio.bake.go.version=1.22.1',
      'linux/arm64',
      `${300 * MiB} bytes (300.0 MiB)`,
    ]);
  });
});
