import type { Plan } from '../plan/types';
import type { Report } from '../readiness/types';
import type { CatalogAmi, CatalogImage, TargetCatalog, VettedImage } from './types';

/** The catalog record of a vetted image of `plan`, published (or kept) as `repository:tag`. */
export function catalogImage(
  plan: Plan,
  image: VettedImage,
  where: { repository: string; tag: string; manifestDigest?: string },
  report: Report,
  vettedAt: Date,
): CatalogImage {
  const passed = report.results.filter((r) => r.status === 'pass').length;
  const waived = reliedOnWaivers(report);
  return {
    target: plan.target.name,
    recipe: plan.target.recipe,
    arch: plan.target.arch,
    kind: image.kind,
    goVersion: plan.go.version,
    goSha256: plan.go.sha256,
    goSource: plan.go.source,
    baseRef: plan.base.ref,
    baseDigest: plan.base.digest,
    ...(plan.base.archive ? { baseArchiveDigest: plan.base.archive.digest } : {}),
    ...(plan.packages?.pinned
      ? { packages: Object.fromEntries((plan.packages.images[image.kind] ?? []).map((p) => [p.name, p.version])) }
      : {}),
    inputsDigest: plan.inputsDigest,
    imageId: image.imageId,
    repository: where.repository,
    tag: where.tag,
    ...(where.manifestDigest ? { manifestDigest: where.manifestDigest } : {}),
    reportDigest: image.reportDigest,
    summary: {
      checks: report.results.length,
      passed,
      skipped: report.skipped.length,
      ...(waived.length ? { waived: waived.length } : {}),
    },
    ...(waived.length ? { waivers: waived } : {}),
    vettedAt: vettedAt.toISOString(),
  };
}

/** The waivers a report's verdict relied on: its results that failed under a waiver in force. */
export function reliedOnWaivers(report: Report): { id: string; until: string }[] {
  return report.results.flatMap((r) =>
    r.status === 'waived' && r.waiver ? [{ id: r.id, until: r.waiver.until }] : [],
  );
}

/** The first of `waivers` past its date on `today` (YYYY-MM-DD, UTC), if any. */
export function expiredWaiver(
  waivers: readonly { id: string; until: string }[] | undefined,
  today: string,
): { id: string; until: string } | undefined {
  return waivers?.find((w) => w.until < today);
}

/** The catalog with `entry` added; an earlier record of the same kind and inputs is replaced. */
export function withImage(catalog: TargetCatalog, entry: CatalogImage): TargetCatalog {
  const others = catalog.images.filter((i) => !(i.kind === entry.kind && i.inputsDigest === entry.inputsDigest));
  return { ...catalog, images: [...others, entry].sort(byVettedAt) };
}

/** The catalog with a vetted AMI added (and the AMIs retention deregistered taken out). */
export function withAmi(catalog: TargetCatalog, ami: CatalogAmi, deregistered: string[] = []): TargetCatalog {
  const others = (catalog.amis ?? []).filter((a) => a.amiId !== ami.amiId && !deregistered.includes(a.amiId));
  return { ...catalog, amis: [...others, ami].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
}

/** The newest vetted image of a kind with these inputs, if the catalog has one. */
export function vettedEntry(
  catalog: TargetCatalog | undefined,
  kind: string,
  inputsDigest: string,
): CatalogImage | undefined {
  return catalog?.images
    .filter((i) => i.kind === kind && i.inputsDigest === inputsDigest)
    .sort(byVettedAt)
    .pop();
}

export function byVettedAt(a: CatalogImage, b: CatalogImage): number {
  return a.vettedAt < b.vettedAt ? -1 : a.vettedAt > b.vettedAt ? 1 : 0;
}
