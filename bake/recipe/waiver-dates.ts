import type { Waiver } from './types';

/** `bake list` and `bake outdated` show waivers this close to their end (the "within 30 days"). */
export const WAIVER_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A waiver as of one day: in force through its `until` day (UTC), expired after it. */
export interface WaiverStatus extends Waiver {
  /** Days from today to `until`: 0 on the last day, negative once expired. */
  daysLeft: number;
  expired: boolean;
}

/** The UTC day of an instant, as YYYY-MM-DD: how waiver dates are compared. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function waiverStatus(waiver: Waiver, today: Date): WaiverStatus {
  const daysLeft = Math.round(
    (Date.parse(`${waiver.until}T00:00:00Z`) - Date.parse(`${isoDay(today)}T00:00:00Z`)) / DAY_MS,
  );
  return { ...waiver, daysLeft, expired: daysLeft < 0 };
}

/** The waivers that have expired or expire within WAIVER_WARNING_DAYS of `today`, soonest first. */
export function waiversEndingSoon(waivers: readonly Waiver[], today: Date): WaiverStatus[] {
  return waivers
    .map((w) => waiverStatus(w, today))
    .filter((w) => w.daysLeft <= WAIVER_WARNING_DAYS)
    .sort((a, b) => a.daysLeft - b.daysLeft || a.id.localeCompare(b.id));
}

/** "expires 2027-01-31 (in 12 days)", "expires today", "expired 2027-01-01 (3 days ago)". */
export function describeWaiverStatus(w: WaiverStatus): string {
  if (w.expired) return `expired ${w.until} (${-w.daysLeft} day${w.daysLeft === -1 ? '' : 's'} ago)`;
  if (w.daysLeft === 0) return `expires ${w.until} (today is its last day)`;
  return `expires ${w.until} (in ${w.daysLeft} day${w.daysLeft === 1 ? '' : 's'})`;
}
