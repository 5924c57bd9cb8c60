import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { writeReport, type ReportFiles } from '../readiness/report-files';
import type { Report } from '../readiness/types';
import type { AmiRecord } from './types';

export interface AmiFiles extends ReportFiles {
  userData: string;
  record?: string;
}

/** What one `bake ami` run leaves for people and CI: the script it ran, the report, the record. */
export async function writeAmiFiles(
  dir: string,
  run: { script: string; report: Report; record?: AmiRecord },
): Promise<AmiFiles> {
  const userData = join(dir, 'user-data.sh');
  await writeFileAtomic(userData, run.script, 0o755);
  const reportFiles = await writeReport(dir, run.report);
  if (!run.record) return { userData, ...reportFiles };
  const record = join(dir, 'ami.json');
  await writeFileAtomic(record, `${JSON.stringify(run.record, null, 2)}\n`);
  return { userData, ...reportFiles, record };
}
