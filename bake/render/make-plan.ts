import { inputsDigest } from '../plan/inputs-digest';
import { planCore, type PlanInput } from '../plan/plan-core';
import type { Plan, PlanCore } from '../plan/types';
import { contextFileList } from './context-file-list';
import { renderContexts, type RenderOptions } from './render-contexts';
import type { PlanWithContexts } from './types';

/** Assembles the plan of a target from its resolved Go distribution; pure. */
export function makePlan(input: PlanInput & { render?: RenderOptions }): PlanWithContexts {
  return renderPlan(planCore(input), input.render);
}

/**
 * Completes a plan: renders its contexts, records their files, then digests everything. This
 * is render's work, not plan's: the digest covers the rendered files, and plan sits below render.
 */
export function renderPlan(core: PlanCore, options: RenderOptions = {}): PlanWithContexts {
  const contexts = renderContexts(core, options);
  const withFiles = {
    ...core,
    contexts: Object.fromEntries(contexts.map((c) => [c.kind, contextFileList(c)])) as Plan['contexts'],
  };
  return { plan: { ...withFiles, inputsDigest: inputsDigest(withFiles) }, contexts };
}
