import type { Plan } from '../plan/types';
import { FAMILY } from '../render/family';
import { userHome } from '../plan/go-environment';
import { goBinarySha256 } from './go-binary-hash';
import type { ArtifactKind, ReadinessExpectations } from './types';

/**
 * What an artifact of `kind` built from `plan` must show. `goArchivePath` is the verified
 * distribution archive the plan names (from the cache); hashing its go binary takes about a
 * second, so nothing is cached.
 */
export async function buildExpectations(
  plan: Plan,
  kind: ArtifactKind,
  goArchivePath: string,
): Promise<ReadinessExpectations> {
  const { target } = plan;
  return {
    target,
    kind,
    goVersion: plan.go.version,
    arch: target.arch,
    env: plan.env,
    goBinarySha256: await goBinarySha256(goArchivePath),
    user: { name: target.user.name, uid: target.user.uid, gid: target.user.gid, home: userHome(target.user) },
    requiredLabels: plan.labels,
    sizeBudgetMB: kind === 'runtime' ? target.image.runtimeSizeBudgetMB : target.image.sizeBudgetMB,
    caBundlePath: FAMILY[target.family].caBundlePath,
    ...(kind === 'toolchain' && plan.warmCache ? { warmCache: plan.warmCache } : {}),
  };
}
