import type { TargetResult } from '../pipeline/types';
import { summaryTable } from '../readiness/summary-table';
import { formatTable } from './output';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One row per image (or per target when it got no image): what a run did, at a glance. */
export function formatResults(results: TargetResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    const go = r.go ? `${r.go.version} (${r.go.source})` : '-';
    if (r.images.length === 0) {
      rows.push([r.target, '-', r.status, go, secs(r.durationMs), firstLine(r.message ?? '')]);
      continue;
    }
    for (const image of r.images) {
      const detail =
        image.status === 'rejected' ? `kept as ${image.tags[0]}` : (image.tags[0] ?? image.imageId.slice(0, 19));
      rows.push([
        r.target,
        image.kind,
        image.status,
        go,
        secs((image.build?.durationMs ?? 0) + (image.checkMs ?? 0)),
        detail,
      ]);
    }
    if (r.status === 'failed' || r.status === 'interrupted')
      rows.push([r.target, '-', r.status, go, secs(r.durationMs), firstLine(r.message ?? '')]);
  }
  const tables = results.flatMap((r) =>
    r.images.filter((i) => i.status === 'rejected' && i.report).map((i) => summaryTable(i.report!)),
  );
  const reports = results.flatMap((r) =>
    r.images.filter((i) => i.reportFiles).map((i) => `  ${r.target}/${i.kind}: ${i.reportFiles!.json}`),
  );
  return [
    formatTable(['TARGET', 'KIND', 'RESULT', 'GO', 'TIME', 'TAG OR REASON'], rows),
    ...tables.map((t) => `\n${t}`),
    ...(reports.length ? ['', 'readiness reports (JSON; JUnit XML beside each):', ...reports] : []),
  ].join('\n');
}

/** The closing line of a run: counts per outcome, then why each target that did not pass did not. */
export function resultsLine(results: TargetResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const byStatus = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const line = `${results.length} target${results.length === 1 ? '' : 's'}: ${byStatus}`;
  const reasons = results.filter((r) => r.message).map((r) => `${r.target} ${r.status}: ${firstLine(r.message!)}`);
  return [line, ...reasons].join('\n  ');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
