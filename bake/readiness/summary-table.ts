import type { Report } from './types';

const REASON_MAX = 120;

/** The table the CLI prints after a suite: check, result, time, one-line reason. */
export function summaryTable(report: Report): string {
  const rows: [string, string, string, string][] = [
    ['CHECK', 'RESULT', 'TIME', 'REASON'],
    ...report.results.map((r): [string, string, string, string] => [
      r.id,
      { pass: 'pass', fail: 'FAIL', waived: 'waived' }[r.status],
      `${(r.durationMs / 1000).toFixed(1)}s`,
      cut(r.reason),
    ]),
    ...report.skipped.map((s): [string, string, string, string] => [s.id, 'skip', '-', cut(s.reason)]),
  ];
  const width = (i: number) => Math.max(...rows.map((r) => r[i].length));
  const [w0, w1, w2] = [width(0), width(1), width(2)];
  const failed = report.results.filter((r) => r.status === 'fail').length;
  const waived = report.results.filter((r) => r.status === 'waived').length;
  const underWaiver = waived ? `${waived} failing under a waiver` : '';
  const verdict = report.passed
    ? underWaiver
      ? `passed (${underWaiver})`
      : 'all checks passed'
    : `${failed} of ${report.results.length} checks failed${underWaiver ? `, ${underWaiver}` : ''}`;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const head = `${report.target} ${report.artifact.kind} ${report.artifact.ref}: ${verdict} (${seconds} s)`;
  return [
    head,
    ...rows.map(([a, b, t, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${t.padStart(w2)}  ${c}`.trimEnd()),
  ].join('\n');
}

function cut(reason: string): string {
  return reason.length > REASON_MAX ? `${reason.slice(0, REASON_MAX - 3)}...` : reason;
}
