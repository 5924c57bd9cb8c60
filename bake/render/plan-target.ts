import { resolveTarget } from '../plan/resolve-target';
import type { PlanContext } from '../plan/types';
import type { Target } from '../recipe/types';
import type { RenderOptions } from './render-contexts';
import { renderPlan } from './make-plan';
import type { PlannedTarget } from './types';

/**
 * Plans a target end to end: the plan stage resolves it, this stage renders its contexts and
 * completes the plan (whose digest covers the rendered files).
 */
export async function planTarget(ctx: PlanContext, target: Target, render: RenderOptions = {}): Promise<PlannedTarget> {
  const { dist, builderDist, core } = await resolveTarget(ctx, target);
  return { dist, ...(builderDist ? { builderDist } : {}), ...renderPlan(core, render) };
}
