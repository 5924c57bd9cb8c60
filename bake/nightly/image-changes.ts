import type { Plan } from '../plan/types';
import type { CatalogImage, TargetCatalog } from '../registry/types';
import type { ImageKind } from '../recipe/types';
import { byVettedAt } from '../registry/catalog-entry';

/** The inputs digest covers the whole target: what changed may be the recipe, or another image kind's packages. */
export const OTHER_INPUTS = "the target's other inputs (recipe, policy, rendering, or another image's packages)";

/** The newest vetted image of a kind made from other inputs than `inputsDigest`: what a rebuild replaces. */
export function previousVetted(
  doc: TargetCatalog | undefined,
  kind: ImageKind,
  inputsDigest: string,
): CatalogImage | undefined {
  return doc?.images
    .filter((i) => i.kind === kind && i.inputsDigest !== inputsDigest)
    .sort(byVettedAt)
    .pop();
}

/** The newest vetted image of a kind that is not revoked, whatever its inputs. */
export function newestVetted(doc: TargetCatalog | undefined, kind: ImageKind): CatalogImage | undefined {
  // A revoked image is no one's current image: consumers get the one before it.
  return doc?.images
    .filter((i) => i.kind === kind && !i.revoked)
    .sort(byVettedAt)
    .pop();
}

/**
 * What differs between a vetted image and today's plan, one line each, in the words a
 * reviewer uses: `Go 1.27.3 → 1.27.4`, `base sha256:0123… → sha256:4567…`,
 * `openssl 3.0.15-1~deb12u1 → 3.0.16-1~deb12u1`. Whatever else changed the inputs digest
 * (the recipe, its policy, bake's rendering) is named as such.
 */
export function imageChanges(plan: Plan, kind: ImageKind, vetted: CatalogImage | undefined): string[] {
  if (!vetted) return ['no vetted image before'];
  if (vetted.inputsDigest === plan.inputsDigest) return [];
  const out: string[] = [];
  if (vetted.goVersion !== plan.go.version) out.push(`Go ${vetted.goVersion} → ${plan.go.version}`);
  else if (vetted.goSha256 !== plan.go.sha256)
    out.push(`Go ${plan.go.version} archive sha256 ${vetted.goSha256.slice(0, 12)} → ${plan.go.sha256.slice(0, 12)}`);
  const baseBefore = vetted.baseArchiveDigest ?? vetted.baseDigest;
  const baseNow = plan.base.archive?.digest ?? plan.base.digest;
  if (baseBefore !== baseNow) out.push(`base ${short(baseBefore)} → ${short(baseNow)}`);
  const now = plan.packages?.pinned
    ? Object.fromEntries((plan.packages.images[kind] ?? []).map((p) => [p.name, p.version]))
    : undefined;
  if (now && vetted.packages) out.push(...packageChanges(vetted.packages, now));
  else if (now) out.push('packages pinned (versions were not recorded before)');
  if (out.length === 0) out.push(OTHER_INPUTS);
  return out;
}

/** `name old → new`, `name new (added)`, `name old (removed)`, by name. */
export function packageChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: string[] = [];
  for (const name of names) {
    const [a, b] = [before[name], after[name]];
    if (a === b) continue;
    if (a && b) out.push(`${name} ${a} → ${b}`);
    else if (b) out.push(`${name} ${b} (added)`);
    else out.push(`${name} ${a} (removed)`);
  }
  return out;
}

/** Every kind's changes, each line once (both kinds usually share the Go and base lines). */
export function targetChanges(
  plan: Plan,
  doc: TargetCatalog | undefined,
  vettedFor: (doc: TargetCatalog | undefined, kind: ImageKind) => CatalogImage | undefined,
): string[] {
  const lines = [...new Set(plan.target.kinds.flatMap((kind) => imageChanges(plan, kind, vettedFor(doc, kind))))];
  // A kind with no change of its own was rebuilt for a change the other lines already name.
  return lines.length > 1 ? lines.filter((l) => l !== OTHER_INPUTS) : lines;
}

function short(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}
