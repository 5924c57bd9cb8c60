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
    ...(image.baseline ? { baseline: image.baseline } : {}),
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

/**
 * The catalog with `entry` added; an earlier record of the same kind and inputs is replaced. What
 * the earlier record of the very same image knew that a re-publishing cannot (its baseline, a
 * revocation) stays: publishing an image again never un-revokes it.
 */
export function withImage(catalog: TargetCatalog, entry: CatalogImage): TargetCatalog {
  const same = (i: CatalogImage) => i.kind === entry.kind && i.inputsDigest === entry.inputsDigest;
  const earlier = catalog.images.find((i) => same(i) && i.imageId === entry.imageId);
  const kept = {
    ...(earlier?.baseline && !entry.baseline ? { baseline: earlier.baseline } : {}),
    ...(earlier?.revoked && !entry.revoked ? { revoked: earlier.revoked } : {}),
  };
  // A revoked image stays on record whatever replaces it: pin and verify must go on refusing it.
  const others = catalog.images.filter((i) => !same(i) || (i.revoked && i.imageId !== entry.imageId));
  return { ...catalog, images: [...others, { ...entry, ...kept }].sort(byVettedAt) };
}

/** The catalog with a vetted AMI added (and the AMIs retention deregistered taken out). */
export function withAmi(catalog: TargetCatalog, ami: CatalogAmi, deregistered: string[] = []): TargetCatalog {
  const earlier = (catalog.amis ?? []).find((a) => a.amiId === ami.amiId);
  const kept = earlier?.revoked && !ami.revoked ? { revoked: earlier.revoked } : {};
  const others = (catalog.amis ?? []).filter((a) => a.amiId !== ami.amiId && !deregistered.includes(a.amiId));
  return { ...catalog, amis: [...others, { ...ami, ...kept }].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
}

/** The newest vetted image of a kind with these inputs, if the catalog has one (revoked or not). */
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
