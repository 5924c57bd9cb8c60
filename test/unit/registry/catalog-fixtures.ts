// Catalog records for registry and nightly tests: one vetted image per call, told apart by `n`.
import type { CatalogAmi, CatalogImage, TargetCatalog } from '../../../bake/registry/types';

export const hex64 = (n: number, fill = '0') => String(n).padStart(64, fill);

export function catalogImage(n: number, extra: Partial<CatalogImage> = {}): CatalogImage {
  return {
    target: 'debian12-amd64',
    recipe: 'debian12',
    arch: 'amd64',
    kind: 'toolchain',
    goVersion: '1.22.12',
    goSha256: 'a'.repeat(64),
    goSource: 'official',
    baseRef: `docker.io/library/debian:bookworm@sha256:${'b'.repeat(64)}`,
    baseDigest: `sha256:${'b'.repeat(64)}`,
    inputsDigest: `sha256:${hex64(n)}`,
    imageId: `sha256:${hex64(n, '1')}`,
    repository: '127.0.0.1:5000/golden/debian12-go',
    tag: `1.22.12-20260115-${hex64(n).slice(0, 12)}-amd64`,
    manifestDigest: `sha256:${hex64(n, '2')}`,
    reportDigest: `sha256:${hex64(n, '3')}`,
    summary: { checks: 9, passed: 9, skipped: 0 },
    vettedAt: `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`,
    ...extra,
  };
}

export function catalogAmi(n: number, extra: Partial<CatalogAmi> = {}): CatalogAmi {
  return {
    target: 'debian12-amd64',
    region: 'us-east-1',
    amiId: `ami-${n}`,
    name: `bake-debian12-amd64-${n}`,
    snapshotIds: [`snap-${n}`],
    goVersion: '1.22.12',
    goSha256: 'a'.repeat(64),
    inputsDigest: `sha256:${hex64(n)}`,
    report: { passed: true, summary: '11/11 passed' },
    createdAt: `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`,
    copies: [],
    ...extra,
  };
}

export function targetCatalog(target: string, images: CatalogImage[], amis: CatalogAmi[] = []): TargetCatalog {
  return { schema: 'bake.catalog/v1', target, images, amis, updatedAt: '2026-01-15T12:00:00.000Z' };
}
