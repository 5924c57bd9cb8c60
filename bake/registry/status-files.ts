import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import type { Report } from '../readiness/types';
import { catalogRecords } from './catalog-records';
import { catalogStatus, type CatalogStatus } from './catalog-status';
import { renderStatusSite } from './status-site';
import type { CatalogStore } from './types';

/** The status of a catalog and the readiness reports of its current images (those the store still has). */
export async function loadStatus(
  catalog: CatalogStore,
  now: Date,
): Promise<{ status: CatalogStatus; reports: Map<string, Report> }> {
  const status = catalogStatus(await catalogRecords(catalog), catalog.location, now);
  const reports = new Map<string, Report>();
  for (const digest of new Set(status.rows.flatMap((r) => (r.current?.reportDigest ? [r.current.reportDigest] : [])))) {
    const bytes = await catalog.getReport(digest);
    if (bytes) reports.set(digest, JSON.parse(bytes.toString('utf8')) as Report);
  }
  return { status, reports };
}

/** `index.html` (the page) and `status.json` (the same, for scripts) in `dir`, each written atomically. */
export async function writeStatusSite(
  dir: string,
  status: CatalogStatus,
  reports: Map<string, Report>,
): Promise<{ html: string; json: string }> {
  const files = { html: join(dir, 'index.html'), json: join(dir, 'status.json') };
  await writeFileAtomic(files.json, `${JSON.stringify(status, null, 2)}\n`);
  await writeFileAtomic(files.html, renderStatusSite(status, reports));
  return files;
}
