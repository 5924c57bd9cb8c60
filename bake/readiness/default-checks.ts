import { BakeError, ExitCode } from '../common/errors';
import { binaryStaticCheck } from './checks/binary-static';
import { goEnvCheck } from './checks/go-env';
import { goLoginShellCheck } from './checks/go-login-shell';
import { goVersionCheck } from './checks/go-version';
import { gorootIntegrityCheck } from './checks/goroot-integrity';
import { imageMetadataCheck } from './checks/image-metadata';
import { runtimeMinimalCheck } from './checks/runtime-minimal';
import { runtimeProbeCheck } from './checks/runtime-probe';
import { secretsNoneCheck } from './checks/secrets-none';
import { tlsCaBundleCheck } from './checks/tls-ca-bundle';
import { userNonRootCheck } from './checks/user-non-root';
import { vmChronyCheck } from './checks/vm-chrony';
import { vmDefaultGoEnvCheck } from './checks/vm-default-go-env';
import { vmGoEnvServiceCheck } from './checks/vm-go-env-service';
import { vmSelinuxCheck } from './checks/vm-selinux';
import { vmServicesCheck } from './checks/vm-services';
import { vmUnitFileCheck } from './checks/vm-unit-file';
import type { ArtifactKind, Check, Report } from './types';

/** Every check bake knows, in the order they run: cheap and basic first, whole-image scans last. */
export const ALL_CHECKS: readonly Check[] = [
  goVersionCheck,
  goEnvCheck,
  goLoginShellCheck,
  gorootIntegrityCheck,
  binaryStaticCheck,
  userNonRootCheck,
  tlsCaBundleCheck,
  runtimeProbeCheck,
  runtimeMinimalCheck,
  secretsNoneCheck,
  imageMetadataCheck,
  vmUnitFileCheck,
  vmGoEnvServiceCheck,
  vmDefaultGoEnvCheck,
  vmChronyCheck,
  vmServicesCheck,
  vmSelinuxCheck,
];

export function defaultChecks(kind: ArtifactKind): Check[] {
  return ALL_CHECKS.filter((c) => c.appliesTo.includes(kind));
}

/**
 * The checks of a kind as a recipe adjusts them (`checks.extra`, `checks.skip`). A skip is
 * returned with its reason so the report shows it; an unknown id is a recipe mistake.
 */
export function selectChecks(
  kind: ArtifactKind,
  recipeChecks: { extra: string[]; skip: string[] },
  recipe: string,
): { checks: Check[]; skipped: Report['skipped'] } {
  const known = new Set(ALL_CHECKS.map((c) => c.id));
  const unknown = [...recipeChecks.extra, ...recipeChecks.skip].filter((id) => !known.has(id));
  if (unknown.length) {
    throw new BakeError(`recipe ${recipe} names unknown readiness checks: ${unknown.join(', ')} (known: ${[...known].join(', ')})`, ExitCode.InvalidRecipe);
  }
  const wanted = ALL_CHECKS.filter((c) => c.appliesTo.includes(kind) || recipeChecks.extra.includes(c.id));
  return {
    checks: wanted.filter((c) => !recipeChecks.skip.includes(c.id)),
    skipped: wanted.filter((c) => recipeChecks.skip.includes(c.id)).map((c) => ({ id: c.id, reason: `skipped by recipe ${recipe} (checks.skip)` })),
  };
}
