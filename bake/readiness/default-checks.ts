import { BakeError, ExitCode } from '../common/errors';
import { CHECK_IDS } from '../recipe/check-ids';
import { binaryStaticCheck } from './checks/binary-static';
import { goBuildCacheCheck } from './checks/go-build-cache';
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
import type { TargetChecks } from '../recipe/types';
import { customCheck, DEFAULT_CUSTOM_KINDS } from './custom/custom-checks';
import type { ArtifactKind, Check, Report } from './types';

/**
 * The image checks (some of which VM templates run too), in the order they run: cheap and
 * basic first, whole-image scans last. A VM's own checks live with the VM drivers (bake/vm),
 * which run them after these.
 */
export const IMAGE_CHECKS: readonly Check[] = [
  goVersionCheck,
  goEnvCheck,
  goLoginShellCheck,
  gorootIntegrityCheck,
  goBuildCacheCheck,
  binaryStaticCheck,
  userNonRootCheck,
  tlsCaBundleCheck,
  runtimeProbeCheck,
  runtimeMinimalCheck,
  secretsNoneCheck,
  imageMetadataCheck,
];

/** The checks of `catalog` that apply to `kind`, in the catalog's order. */
export function defaultChecks(catalog: readonly Check[], kind: ArtifactKind): Check[] {
  return catalog.filter((c) => c.appliesTo.includes(kind));
}

/**
 * The checks of a kind as a recipe adjusts them: bake's own (`checks.extra`, `checks.skip`),
 * then the recipe's and its imported suites' (`checks.custom`, `checks.import`) that apply to
 * the kind. A skip, and an imported test that could not be translated, is returned with its
 * reason so the report shows it; an unknown id is a recipe mistake. Ids are known by the
 * recipe stage's list, since a recipe's ids cover every kind and a catalog one.
 */
export function selectChecks(
  catalog: readonly Check[],
  kind: ArtifactKind,
  recipeChecks: TargetChecks,
  recipe: string,
): { checks: Check[]; skipped: Report['skipped'] } {
  const unknown = [...recipeChecks.extra, ...recipeChecks.skip].filter((id) => !CHECK_IDS.includes(id));
  if (unknown.length) {
    throw new BakeError(
      `recipe ${recipe} names unknown readiness checks: ${unknown.join(', ')} (known: ${CHECK_IDS.join(', ')})`,
      ExitCode.InvalidRecipe,
    );
  }
  const wanted = catalog.filter((c) => c.appliesTo.includes(kind) || recipeChecks.extra.includes(c.id));
  const custom = (recipeChecks.custom ?? []).map(customCheck).filter((c) => c.appliesTo.includes(kind));
  const findings = (recipeChecks.findings ?? []).filter((f) => (f.kinds ?? DEFAULT_CUSTOM_KINDS).includes(kind));
  return {
    checks: [...wanted.filter((c) => !recipeChecks.skip.includes(c.id)), ...custom],
    skipped: [
      ...wanted
        .filter((c) => recipeChecks.skip.includes(c.id))
        .map((c) => ({
          id: c.id,
          reason: `skipped by recipe ${recipe} (checks.skip, for good: no reason, no end date)`,
        })),
      ...findings.map((f) => ({ id: f.id, reason: `not imported from ${f.origin}: ${f.reason}` })),
    ],
  };
}
