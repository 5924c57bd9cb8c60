import { performance } from 'node:perf_hooks';
import type { Logger } from '../common/log';
import { errorMessage } from '../common/errors';
import { oneLine } from './evidence';
import { redactSecrets } from './secret-patterns';
import type { Check, CheckOutcome, CheckResult, Driver, ReadinessExpectations, Report } from './types';
import { applyWaiver, type SuiteWaivers } from './waivers';

export interface SuiteInput {
  checks: Check[];
  driver: Driver;
  expect: ReadinessExpectations;
  logger: Logger;
  artifact: Report['artifact'];
  /** Checks left out on purpose, recorded in the report. */
  skipped?: Report['skipped'];
  /** The recipe's waivers (`checks.waive`) and the day they are judged on. */
  waivers?: SuiteWaivers;
  now?: () => Date;
}

/**
 * Runs every check that applies to the artifact's kind and never stops early: one report should
 * show everything that is wrong. A check that throws is a failure, not a crash. Three lanes run
 * at once, each in the checks' order: checks that may change the artifact, checks that only
 * read it, and checks that only read the image (Check.reads). The report keeps the checks' order.
 */
export async function runSuite(input: SuiteInput): Promise<Report> {
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const start = performance.now();
  const checks = input.checks.filter((c) => c.appliesTo.includes(input.expect.kind));
  const results = new Array<CheckResult>(checks.length);
  const lane = async (reads: Check['reads']) => {
    for (const [i, check] of checks.entries()) if (check.reads === reads) results[i] = await runCheck(check, input);
  };
  await Promise.all([lane(undefined), lane('artifact'), lane('image')]);
  return {
    schema: 'bake.report/v1',
    artifact: input.artifact,
    target: input.expect.target.name,
    passed: results.length > 0 && results.every((r) => r.status !== 'fail'),
    results,
    skipped: input.skipped ?? [],
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - start),
  };
}

/** One check, timed, redacted, judged against the waivers and logged. */
async function runCheck(check: Check, input: SuiteInput): Promise<CheckResult> {
  const t0 = performance.now();
  let result: CheckOutcome;
  try {
    result = await check.run(input.driver, input.expect, input.logger);
  } catch (err) {
    result = { status: 'fail', reason: `the check could not run: ${oneLine(errorMessage(err))}`, evidence: [] };
  }
  const durationMs = Math.round(performance.now() - t0);
  const origin = check.origin ? { origin: check.origin } : {};
  const checked = applyWaiver(
    { id: check.id, description: check.description, ...redacted(result), durationMs, ...origin },
    input.waivers,
  );
  const verdict = { pass: 'pass', fail: 'FAIL', waived: 'WAIVED' }[checked.status];
  const seconds = (durationMs / 1000).toFixed(1);
  input.logger.info(`${verdict} ${check.id} (${seconds} s): ${oneLine(redactSecrets(checked.reason))}`);
  return checked;
}

/** Last line of defence: whatever a check printed, no secret-looking value reaches a report. */
function redacted(result: CheckOutcome): CheckOutcome {
  return {
    status: result.status,
    reason: oneLine(redactSecrets(result.reason)),
    evidence: result.evidence.map((e) => ({
      command: redactSecrets(e.command),
      output: redactSecrets(e.output),
      expected: redactSecrets(e.expected),
    })),
  };
}
