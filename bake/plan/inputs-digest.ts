import { canonicalJson } from '../common/canonical-json';
import { sha256Hex } from '../common/sha256';
import type { Plan } from './types';

/**
 * sha256 over the canonical plan. The policy verdict is left out: it is a judgement about
 * the inputs (and changes with the calendar), not an input, so it must not trigger rebuilds.
 */
export function inputsDigest(plan: Omit<Plan, 'inputsDigest'>): string {
  const { policy: _verdict, ...inputs } = plan;
  return `sha256:${sha256Hex(canonicalJson(inputs))}`;
}
