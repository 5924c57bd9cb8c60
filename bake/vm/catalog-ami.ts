import type { CatalogAmi } from '../registry/types';
import type { AmiRecord } from './types';

/** What the catalog keeps of a vetted AMI (the driver's record minus run details). */
export function catalogAmi(record: AmiRecord): CatalogAmi {
  return {
    target: record.target,
    region: record.region,
    amiId: record.amiId,
    name: record.name,
    snapshotIds: record.snapshotIds,
    goVersion: record.goVersion,
    goSha256: record.goSha256,
    inputsDigest: record.inputsDigest,
    report: { passed: true, summary: record.report.summary },
    createdAt: record.createdAt,
    copies: record.copies.map((c) => ({ region: c.region, amiId: c.amiId })),
    ...(record.baseline ? { baseline: record.baseline } : {}),
  };
}
