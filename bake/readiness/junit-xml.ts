import type { CheckResult, Report } from './types';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './xml-escape';

/** A report as JUnit XML, which CI systems render: one testsuite per artifact, one testcase per check. */
export function junitXml(report: Report): string {
  const suiteName = `${report.target}/${report.artifact.kind}`;
  const classname = `bake.readiness.${report.target}.${report.artifact.kind}`;
  const failures = report.results.filter((r) => r.status === 'fail').length;
  const tests = report.results.length + report.skipped.length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bake readiness" tests="${tests}" failures="${failures}" errors="0" skipped="${report.skipped.length}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${attr(suiteName)}" tests="${tests}" failures="${failures}" errors="0" skipped="${report.skipped.length}" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
    '    <properties>',
    ...Object.entries({ 'artifact.ref': report.artifact.ref, 'artifact.id': report.artifact.id, 'artifact.platform': report.artifact.platform }).map(
      ([name, value]) => `      <property name="${attr(name)}" value="${attr(value)}"/>`,
    ),
    '    </properties>',
    ...report.results.flatMap((r) => testcase(r, classname, seconds(r.durationMs))),
    ...report.skipped.map(
      (s) => `    <testcase name="${attr(s.id)}" classname="${attr(classname)}" time="0.000">\n      <skipped message="${attr(s.reason)}"/>\n    </testcase>`,
    ),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function testcase(r: CheckResult, classname: string, time: string): string[] {
  const out = [`    <testcase name="${attr(r.id)}" classname="${attr(classname)}" time="${time}">`];
  if (r.status === 'fail') out.push(`      <failure message="${attr(r.reason)}" type="readiness">${text(evidenceText(r))}</failure>`);
  out.push(`      <system-out>${text(evidenceText(r))}</system-out>`, '    </testcase>');
  return out;
}

export function evidenceText(r: CheckResult): string {
  const blocks = r.evidence.map((e) => `$ ${e.command}\n${e.output}\nexpected: ${e.expected}`);
  return [`${r.id}: ${r.description}`, `${r.status}: ${r.reason}`, ...blocks].join('\n\n');
}
