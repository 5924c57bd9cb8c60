import type { Plan } from '../plan/types';
import { publishRun, type PublishInput } from '../registry/publish-run';
import type { PublishOutcome } from '../registry/types';
import type { BakedTarget, TargetResult } from './types';

export interface PublishBakedInput extends Omit<PublishInput, 'targets'> {
  baked: BakedTarget[];
}

/** Records and publishes what a run vetted; a target whose publishing failed is marked so in its result. */
export async function publishBaked(input: PublishBakedInput): Promise<void> {
  const { baked, ...rest } = input;
  const publishable = baked.filter(isPublishable);
  const outcomes = await publishRun({
    ...rest,
    targets: publishable.map(({ plan, result }) => ({ plan, images: result.images })),
  });
  outcomes.forEach((outcome, i) => applyPublishOutcome(publishable[i].result, outcome));
}

/** Images that all passed, this run or before (up-to-date), and the plan they were built from. */
function isPublishable(baked: BakedTarget): baked is BakedTarget & { plan: Plan } {
  return !!baked.plan && (baked.result.status === 'vetted' || baked.result.status === 'up-to-date');
}

/** A failed publishing fails its target: its images are built and checked, but not recorded where asked. */
export function applyPublishOutcome(result: TargetResult, outcome: PublishOutcome): void {
  if (outcome.status === 'published') return;
  result.status = outcome.status;
  result.exitCode = outcome.exitCode;
  result.message = outcome.message;
}
