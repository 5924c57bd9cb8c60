import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../../bake/readiness/types';
import { writeAmiFiles } from '../../../bake/vm/ami-files';
import type { AmiRecord } from '../../../bake/vm/types';
import { scratchDir } from '../scratch-dir';

const report: Report = {
  schema: 'bake.report/v1',
  artifact: { kind: 'vm', ref: 'i-1', id: 'i-1', platform: 'linux/amd64' },
  target: 'debian12-amd64',
  passed: true,
  results: [],
  skipped: [],
  startedAt: '2026-12-06T00:00:00.000Z',
  durationMs: 1,
};

describe('writeAmiFiles', () => {
  test('the user data (executable), the report, and the record when there is one', async () => {
    const dir = scratchDir('bake-ami-files-');
    const record = { schema: 'bake.ami/v1', amiId: 'ami-1' } as AmiRecord;
    const files = await writeAmiFiles(dir, { script: '#!/bin/bash\n', report, record });
    expect(files.userData).toBe(join(dir, 'user-data.sh'));
    expect(await fs.readFile(files.userData, 'utf8')).toBe('#!/bin/bash\n');
    expect((await fs.stat(files.userData)).mode & 0o777).toBe(0o755);
    expect(JSON.parse(await fs.readFile(files.json, 'utf8'))).toMatchObject({ target: 'debian12-amd64' });
    expect(JSON.parse(await fs.readFile(files.record!, 'utf8'))).toEqual(record);
  });

  test('without a record (a rejected or synthesized run) no ami.json', async () => {
    const dir = scratchDir('bake-ami-files-');
    const files = await writeAmiFiles(dir, { script: '#!/bin/bash\n', report });
    expect(files.record).toBeUndefined();
    expect((await fs.readdir(dir)).sort()).not.toContain('ami.json');
  });
});
