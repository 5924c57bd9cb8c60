import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { redact } from '../common/redact';
import { junitXml } from './junit-xml';
import type { Report } from './types';

export interface ReportFiles {
  json: string;
  junit: string;
}

/**
 * Writes report.json and junit.xml into `dir`, each atomically, so CI never reads half a file.
 * Both are redacted as written (checks quote URLs from the image's configuration); the catalog
 * stores and digests report.json as it is on disk, so every copy is the redacted one.
 */
export async function writeReport(dir: string, report: Report): Promise<ReportFiles> {
  const files = { json: join(dir, 'report.json'), junit: join(dir, 'junit.xml') };
  await writeFileAtomic(files.json, redact(`${JSON.stringify(report, null, 2)}\n`));
  await writeFileAtomic(files.junit, redact(junitXml(report)));
  return files;
}
