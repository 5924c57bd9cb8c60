import { describeWaiverStatus, WAIVER_WARNING_DAYS, type WaiverStatus } from '../recipe/waiver-dates';
import { printOut } from './output';

/**
 * Waivers that have expired or expire soon, after a command's table: one line per waiver,
 * naming every target it covers (a recipe's waiver covers all its architectures).
 */
export function printWaivers(rows: { target: string; waivers: WaiverStatus[] }[]): void {
  const lines = new Map<string, { w: WaiverStatus; targets: string[] }>();
  for (const row of rows) {
    for (const w of row.waivers) {
      const key = JSON.stringify([w.id, w.until, w.reason]);
      const line = lines.get(key) ?? { w, targets: [] };
      line.targets.push(row.target);
      lines.set(key, line);
    }
  }
  if (!lines.size) return;
  const sorted = [...lines.values()].sort((a, b) => a.w.daysLeft - b.w.daysLeft || a.w.id.localeCompare(b.w.id));
  printOut(
    [
      '',
      `waivers expired or expiring within ${WAIVER_WARNING_DAYS} days:`,
      ...sorted.map(
        ({ w, targets }) => `  ${w.id}  ${describeWaiverStatus(w)}  ${targets.join(', ')}: ${JSON.stringify(w.reason)}`,
      ),
      '',
    ].join('\n'),
  );
}
