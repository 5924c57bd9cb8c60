import { waiverStatus } from '../recipe/waiver-dates';
import type { Waiver } from '../recipe/types';
import type { CheckResult } from './types';

/** The waivers of a suite run and the day they are judged on, which the caller gives (never a clock read here). */
export interface SuiteWaivers {
  waivers: readonly Waiver[];
  today: Date;
}

/**
 * A result as the recipe's waiver for its check leaves it. The check always ran: a failure
 * under a waiver in force is recorded as `waived` (it does not gate the tag); past the
 * waiver's date the failure gates as any other, saying the waiver expired; a pass notes the
 * waiver as unused, so it can be dropped.
 */
export function applyWaiver(result: CheckResult, waivers: SuiteWaivers | undefined): CheckResult {
  const waiver = waivers?.waivers.find((w) => w.id === result.id);
  if (!waivers || !waiver) return result;
  const { expired } = waiverStatus(waiver, waivers.today);
  const note = { reason: waiver.reason, until: waiver.until };
  if (result.status === 'pass') return { ...result, waiver: { ...note, effect: 'unused' } };
  if (expired)
    return {
      ...result,
      reason: `${result.reason} (its waiver expired after ${waiver.until})`,
      waiver: { ...note, effect: 'expired' },
    };
  return {
    ...result,
    status: 'waived',
    reason: `waived until ${waiver.until} (${waiver.reason}): ${result.reason}`,
    waiver: { ...note, effect: 'applied' },
  };
}
