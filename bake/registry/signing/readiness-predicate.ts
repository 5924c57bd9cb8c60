import type { Report } from '../../readiness/types';

/** The predicate of a `https://bake.dev/readiness/v1` attestation (README: "Predicate types"). */
export interface ReadinessPredicate {
  target: string;
  kind: string;
  inputsDigest: string;
  /** sha256 of report.json as bake wrote it: the digest the catalog records. */
  reportDigest: string;
  passed: boolean;
  /**
   * Each check's outcome by id (`"go.env": "pass"`), for admission policies; skipped checks say
   * `skip`, a failure a recipe waiver covers says `waived` (an admission policy may refuse it).
   */
  checks: Record<string, 'pass' | 'fail' | 'waived' | 'skip'>;
  report: Report;
}

export function readinessPredicate(report: Report, reportDigest: string, inputsDigest: string): ReadinessPredicate {
  const checks: ReadinessPredicate['checks'] = {};
  for (const result of report.results) checks[result.id] = result.status;
  for (const skipped of report.skipped) checks[skipped.id] = 'skip';
  return {
    target: report.target,
    kind: report.artifact.kind,
    inputsDigest,
    reportDigest,
    passed: report.passed,
    checks,
    report,
  };
}
