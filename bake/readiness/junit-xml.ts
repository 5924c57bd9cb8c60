import { junitReport } from '../common/junit-report';
import type { JUnitCase } from '../common/types';
import type { CheckResult, Report } from './types';

/**
 * A report as JUnit XML, which CI systems render: one testsuite per artifact, one testcase per
 * check. A failure under a waiver in force is a skipped case whose text says so (it does not
 * gate, but stays visible); past the waiver's date it is a failure like any other.
 */
export function junitXml(report: Report): string {
  const classname = `bake.readiness.${report.target}.${report.artifact.kind}`;
  const checked = report.results.map((r): JUnitCase => ({
    name: r.id,
    classname,
    durationMs: r.durationMs,
    ...(r.status === 'fail' ? { failure: { message: r.reason, type: 'readiness', text: evidenceText(r) } } : {}),
    ...(r.status === 'waived' ? { skipped: r.reason } : {}),
    output: evidenceText(r),
  }));
  const skipped = report.skipped.map((s): JUnitCase => ({ name: s.id, classname, durationMs: 0, skipped: s.reason }));
  return junitReport('bake readiness', [
    {
      name: `${report.target}/${report.artifact.kind}`,
      timestamp: report.startedAt,
      durationMs: report.durationMs,
      properties: {
        'artifact.ref': report.artifact.ref,
        'artifact.id': report.artifact.id,
        'artifact.platform': report.artifact.platform,
      },
      cases: [...checked, ...skipped],
    },
  ]);
}

export function evidenceText(r: CheckResult): string {
  const blocks = r.evidence.map((e) => `$ ${e.command}\n${e.output}\nexpected: ${e.expected}`);
  const origin = r.origin ? [`from: ${r.origin}`] : [];
  const waiver = r.waiver ? [`waiver (${r.waiver.effect}): until ${r.waiver.until}: ${r.waiver.reason}`] : [];
  return [`${r.id}: ${r.description}`, ...origin, `${r.status}: ${r.reason}`, ...waiver, ...blocks].join('\n\n');
}
