import { canonicalJson } from '../common/canonical-json';
import { sha256Hex } from '../common/sha256';
import type { Plan } from './types';

/**
 * sha256 over the canonical form of a target's inputs: the whole recipe as resolved for the
 * target, the Go archive, the base (with the archive state of a bootstrapped one), the pinned
 * OS packages, the version policy's line, the rendered files. Left out is
 * only what is not an input:
 * - the policy verdict's status and notes, which change with the calendar, not the inputs;
 * - where the recipe file or the Go archive was found (a path, a mirror URL, the checks done on
 *   the way): the same recipe from another checkout, or the same archive (by sha256) from
 *   another mirror, builds the same images.
 */
export function inputsDigest(plan: Omit<Plan, 'inputsDigest'>): string {
  const { recipeFile: _file, ...target } = plan.target;
  const { origin: _origin, verifiedBy: _checks, ...go } = plan.go;
  const { status: _status, messages: _notes, ...policyLine } = plan.policy;
  const inputs = {
    schema: plan.schema,
    target,
    go,
    base: plan.base,
    packages: plan.packages,
    policy: policyLine,
    env: plan.env,
    labels: plan.labels,
    contexts: plan.contexts,
  };
  return `sha256:${sha256Hex(canonicalJson(inputs))}`;
}
