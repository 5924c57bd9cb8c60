import { junitReport } from '../common/junit-report';
import type { JUnitCase } from '../common/types';
import type { DriftReport, Finding } from './types';

/** Values are shown whole up to this length, then cut (a hostile value cannot flood a summary). */
const SHOWN_MAX = 160;

function shown(value: string): string {
  const flat = value.replace(/[\r\n\t]/g, ' ');
  return flat.length > SHOWN_MAX ? `${flat.slice(0, SHOWN_MAX)}... (${flat.length} characters)` : flat;
}

function headline(report: DriftReport): string {
  const { subject, baseline } = report;
  const verdict = report.drifted
    ? `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`
    : 'no drift';
  return (
    `${subject.kind} ${subject.ref} against the ${baseline.kind} baseline of ${report.target} ` +
    `(${baseline.artifact}, captured ${baseline.capturedAt}, from ${baseline.source}): ${verdict}`
  );
}

/** The terminal view: one line per finding, then each one's expected and actual value and evidence. */
export function driftText(report: DriftReport): string {
  const lines = [headline(report)];
  for (const f of report.findings) {
    lines.push('', `${f.severity.padEnd(19)} ${f.subject}`);
    lines.push(
      `  expected: ${shown(f.expected)}`,
      `  actual:   ${shown(f.actual)}`,
      `  seen by:  ${shown(f.evidence)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** For a CI job summary or a ticket. */
export function driftMarkdown(report: DriftReport): string {
  const cell = (text: string) => `\`${shown(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  const out = [`## bake drift: ${report.drifted ? 'DRIFT' : 'no drift'}`, '', headline(report), ''];
  if (report.findings.length) {
    out.push('| severity | what | expected | actual |', '|---|---|---|---|');
    for (const f of report.findings)
      out.push(`| ${f.severity} | ${cell(f.subject)} | ${cell(f.expected)} | ${cell(f.actual)} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** One testcase per finding (failed), or a single passing one: CI renders drift like a failed check. */
export function driftJunit(report: DriftReport): string {
  const classname = `bake.drift.${report.target}.${report.subject.kind}`;
  const cases: JUnitCase[] = report.findings.length
    ? report.findings.map((f: Finding) => ({
        name: `${f.severity}: ${f.subject}`,
        classname,
        durationMs: 0,
        failure: {
          message: `${f.subject}: expected ${shown(f.expected)}, found ${shown(f.actual)}`,
          type: f.severity,
          text: `record ${f.key}\nexpected: ${f.expected}\nactual: ${f.actual}\nseen by: ${f.evidence}`,
        },
      }))
    : [{ name: 'no drift', classname, durationMs: report.durationMs, output: headline(report) }];
  return junitReport('bake drift', [
    {
      name: `${report.target}/${report.subject.kind}/${report.subject.ref}`,
      timestamp: report.checkedAt,
      durationMs: report.durationMs,
      properties: {
        'baseline.artifact': report.baseline.artifact,
        'baseline.source': report.baseline.source,
        'baseline.capturedAt': report.baseline.capturedAt,
      },
      cases,
    },
  ]);
}
