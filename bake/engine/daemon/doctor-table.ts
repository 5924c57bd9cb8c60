import type { DoctorReport } from '../types';

/** The doctor report as an aligned table: item, status, detail, and the fix under it. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.items.map((item) => item.id.length), 4);
  const lines = report.items.flatMap((item) => {
    const row = `${item.id.padEnd(width)}  ${item.status.padEnd(7)}  ${item.detail}`;
    return item.fix && item.status !== 'ok' ? [row, `${' '.repeat(width + 11)}fix: ${item.fix}`] : [row];
  });
  lines.push(report.ok ? 'ready to build' : 'not ready: fix the items marked missing');
  return `${lines.join('\n')}\n`;
}
