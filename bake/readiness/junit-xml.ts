import { junitReport } from '../common/junit-report';
import type { JUnitCase } from '../common/types';
import type { CheckResult, Report } from './types';

/** A report as JUnit XML, which CI systems render: one testsuite per artifact, one testcase per check. */
export function junitXml(report: Report): string {
  const classname = `bake.readiness.${report.target}.${report.artifact.kind}`;
  const checked = report.results.map((r): JUnitCase => ({
    name: r.id,
    classname,
    durationMs: r.durationMs,
    ...(r.status === 'fail' ? { failure: { message: r.reason, type: 'readiness', text: evidenceText(r) } } : {}),
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
  return [`${r.id}: ${r.description}`, `${r.status}: ${r.reason}`, ...blocks].join('\n\n');
}
