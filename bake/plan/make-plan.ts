import type { GoDistribution, PolicyVerdict } from '../golang/types';
import type { Target } from '../recipe/types';
import { contextFileList } from '../render/context-file-list';
import { goEnvironment } from '../render/go-environment';
import { imageLabels } from '../render/labels';
import { renderContexts, type RenderOptions } from '../render/render-contexts';
import type { RenderedContext } from '../render/types';
import { inputsDigest } from './inputs-digest';
import type { ResolvedOsPackages } from './os-packages';
import type { Plan, PlanCore } from './types';

export interface PlanInput {
  target: Target;
  go: GoDistribution;
  verdict: PolicyVerdict;
  render?: RenderOptions;
  /** OS packages resolved from the archive (and the bootstrapped base's state). */
  os?: ResolvedOsPackages;
}

export interface PlanWithContexts {
  plan: Plan;
  contexts: RenderedContext[];
}

/** Assembles the plan of a target from its resolved Go distribution; pure. */
export function makePlan({ target, go, verdict, render = {}, os }: PlanInput): PlanWithContexts {
  const { path: _localPath, ...goRecord } = go as GoDistribution & { path?: string };
  const partial = {
    schema: 'bake.plan/v1' as const,
    target,
    go: goRecord,
    base: {
      ref: target.base.ref,
      digest: baseDigest(target.base.ref),
      ...(target.base.bootstrap ? { bootstrap: target.base.bootstrap } : {}),
      ...(os?.base ? { archive: os.base } : {}),
    },
    ...(os ? { packages: os.packages } : {}),
    policy: verdict,
    env: goEnvironment(target),
  };
  const core: PlanCore = { ...partial, labels: imageLabels(partial) };
  const contexts = renderContexts(core, render);
  const withFiles = { ...core, contexts: Object.fromEntries(contexts.map((c) => [c.kind, contextFileList(c, core.go)])) as Plan['contexts'] };
  return { plan: { ...withFiles, inputsDigest: inputsDigest(withFiles) }, contexts };
}

/** The digest a reference is pinned to (the schema guarantees there is one). */
export function baseDigest(ref: string): string {
  return ref.slice(ref.indexOf('@') + 1);
}
