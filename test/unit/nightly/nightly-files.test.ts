import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNightlyFiles } from '../../../bake/nightly/nightly-files';
import { nightlySummary } from '../../../bake/nightly/nightly-summary';

describe('writeNightlyFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bake-nightly-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the three files and the job summary with no credential a failure quoted', async () => {
    const message =
      'https://mirror.example/go/index.json?token=s3cret: HTTP 403; apt source http://u:s3cret@deb.example/debian refused';
    const summary = nightlySummary(
      [{ target: 'debian12-amd64', status: 'unavailable', images: [], durationMs: 10, message }],
      { startedAt: new Date(0), durationMs: 10, location: '127.0.0.1:5000/golden' },
    );
    const step = join(dir, 'step-summary.md');
    writeFileSync(step, '# earlier step\n');
    const { files, markdown } = await writeNightlyFiles(dir, summary, step);
    const written = [files.json, files.markdown, files.junit, step].map((f) => readFileSync(f, 'utf8'));
    for (const text of written) expect(text).not.toContain('s3cret');
    expect(JSON.parse(written[0]).targets[0].message).toBe(
      'https://mirror.example/go/index.json?token=***: HTTP 403; apt source http://***@deb.example/debian refused',
    );
    expect(markdown).toBe(written[1]);
    expect(written[3]).toBe(`# earlier step\n${markdown}`);
  });
});
