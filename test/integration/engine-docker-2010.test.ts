import { join } from 'node:path';
import type { DoctorReport } from '../../bake/engine/types';
import type { TargetResult } from '../../bake/pipeline/types';
import { bake } from '../support/bake-cli';
import { unpackedDockerd2010 } from '../support/services/dockerd-2010';
import { secondEngineUnsupported, startSecondEngine, type SecondEngine } from '../support/services/second-engine';
import { testCacheDir } from '../support/test-dirs';

/**
 * The oldest engine bake supports: Debian bookworm's Docker Engine 20.10 (API 1.41), unpacked
 * beside the embedded Docker 26 and started empty as a second engine. bake doctor says what it
 * lacks, and debian12-amd64 is built, checked and tagged on it as on a current engine.
 */
const why = secondEngineUnsupported();
if (why) console.warn(`SKIPPED engine-docker-2010 test: ${why}`);
const suite = why ? describe.skip : describe;
let engine: SecondEngine;

suite('Docker Engine 20.10', () => {
  beforeAll(async () => {
    const dir = join(testCacheDir(), 'engine-2010');
    const dockerd = await unpackedDockerd2010(testCacheDir(), (line) => console.log(line));
    engine = await startSecondEngine(dir, { dockerd, netns: { name: 'bake-engine4', prefix: '10.203.79' } });
  });

  afterAll(async () => {
    await engine?.stop();
  });

  test('bake doctor: BuildKit builds, without SOURCE_DATE_EPOCH, buildx features or the containerd store', async () => {
    const r = await bake(['doctor', '--engine', engine.endpoint, '--json']);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.engine?.apiVersion).toBe('1.41');
    expect(report.engine?.serverVersion).toMatch(/^20\.10\./);
    const status = Object.fromEntries(report.items.map((i) => [i.id, i.status]));
    expect(status).toMatchObject({ engine: 'ok', buildkit: 'warning', 'image-store': 'warning' });
    expect(report.items.find((i) => i.id === 'buildkit')?.detail).toMatch(/ignores SOURCE_DATE_EPOCH/);
    expect(report.ok).toBe(true);
  });

  test('debian12-amd64 is built, checked and tagged on it', async () => {
    const prefix = `bake-test-2010-${process.pid}`;
    const r = await bake([
      'build',
      'debian12-amd64',
      '--go-source',
      'debian',
      '--engine',
      engine.endpoint,
      '--tag-prefix',
      prefix,
      '--json',
    ]);
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
    const [result] = JSON.parse(r.stdout) as TargetResult[];
    expect([result.status, result.engine]).toEqual(['vetted', engine.endpoint]);
    expect(result.images.map((i) => [i.kind, i.status])).toEqual([
      ['toolchain', 'vetted'],
      ['runtime', 'vetted'],
    ]);
    expect((await engine.engine.inspectImage(`${prefix}/debian12-go:1.27-amd64`))?.architecture).toBe('amd64');
  });
});
