import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { junitXml } from './junit-xml';
import type { Report } from './types';

export interface ReportFiles {
  json: string;
  junit: string;
}

/** Writes report.json and junit.xml into `dir`, each atomically, so CI never reads half a file. */
export async function writeReport(dir: string, report: Report): Promise<ReportFiles> {
  const files = { json: join(dir, 'report.json'), junit: join(dir, 'junit.xml') };
  await writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(files.junit, junitXml(report));
  return files;
}
