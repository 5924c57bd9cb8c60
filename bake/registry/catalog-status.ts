import { byVettedAt } from './catalog-entry';
import { movingTagsOf } from './moving-indexes';
import type { CatalogAmi, CatalogImage, Revocation } from './types';

/** A revoked image or AMI of a row: what it was and why it went. */
export interface RevokedItem {
  ref: string;
  digest: string;
  goVersion: string;
  vettedAt: string;
  revocation: Revocation;
}

/** The current (newest vetted, not revoked) artifact of a row. */
export interface CurrentItem {
  /** `repository:tag`, or the AMI id. */
  ref: string;
  /** Registry digest (or the engine's image id on this machine only); the AMI id for an AMI. */
  digest: string;
  goVersion: string;
  vettedAt: string;
  ageDays: number;
  /** "11/11 passed" */
  readiness: string;
  reportDigest?: string;
  /** The line a team pastes into its Dockerfile (images only). */
  from?: string;
  /** Whether a drift baseline was recorded for it. */
  baseline: boolean;
}

/** One target, kind and Go line: what consumers get, and what was taken back. */
export interface StatusRow {
  target: string;
  kind: string;
  goLine: string;
  /** `vetted`; `revoked` when every image of the line is; `outdated` when its inputs are behind today's. */
  state: 'vetted' | 'revoked' | 'outdated';
  current?: CurrentItem;
  /** Revoked ones newer than the current one (or all, when none is left), newest first. */
  revoked: RevokedItem[];
  /** Whether the current image's inputs are behind today's plan; absent when that was not asked. */
  outdated?: boolean;
  /** What the catalog records of its signature, or "unsigned/unknown" where it records nothing. */
  signature: string;
}

export interface CatalogStatus {
  schema: 'bake.status/v1';
  location: string;
  generatedAt: string;
  rows: StatusRow[];
}

const DAY_MS = 24 * 3600_000;

/** Per target, kind and Go line, from every record of a catalog. */
export function catalogStatus(
  records: { images: CatalogImage[]; amis: CatalogAmi[] },
  location: string,
  now: Date,
): CatalogStatus {
  const rows: StatusRow[] = [];
  const groups = new Map<string, CatalogImage[]>();
  for (const image of records.images) {
    const key = `${image.target}\u0000${image.kind}\u0000${movingTagsOf(image)[0]}`;
    groups.set(key, [...(groups.get(key) ?? []), image]);
  }
  for (const [key, images] of groups) {
    const [target, kind, goLine] = key.split('\u0000');
    const sorted = [...images].sort(byVettedAt);
    const current = sorted.filter((i) => !i.revoked).pop();
    const revoked = sorted
      .filter((i) => i.revoked && (!current || i.vettedAt > current.vettedAt))
      .reverse()
      .map((i) => ({
        ref: `${i.repository}:${i.tag}`,
        digest: i.manifestDigest ?? i.imageId,
        goVersion: i.goVersion,
        vettedAt: i.vettedAt,
        revocation: i.revoked!,
      }));
    rows.push({
      target,
      kind,
      goLine,
      state: current ? 'vetted' : 'revoked',
      ...(current ? { current: currentImage(current, now) } : {}),
      revoked,
      signature: signatureState(current ?? sorted[sorted.length - 1]),
    });
  }
  const amiGroups = new Map<string, CatalogAmi[]>();
  for (const ami of records.amis) {
    const key = `${ami.target}\u0000${movingTagsOf(ami)[0]}`;
    amiGroups.set(key, [...(amiGroups.get(key) ?? []), ami]);
  }
  for (const [key, amis] of amiGroups) {
    const [target, goLine] = key.split('\u0000');
    const sorted = [...amis].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const current = sorted.filter((a) => !a.revoked).pop();
    rows.push({
      target,
      kind: 'ami',
      goLine,
      state: current ? 'vetted' : 'revoked',
      ...(current
        ? {
            current: {
              ref: `${current.amiId} (${current.region})`,
              digest: current.amiId,
              goVersion: current.goVersion,
              vettedAt: current.createdAt,
              ageDays: age(current.createdAt, now),
              readiness: current.report.summary,
              baseline: !!current.baseline,
            },
          }
        : {}),
      revoked: sorted
        .filter((a) => a.revoked && (!current || a.createdAt > current.createdAt))
        .reverse()
        .map((a) => ({
          ref: `${a.amiId} (${a.region})`,
          digest: a.amiId,
          goVersion: a.goVersion,
          vettedAt: a.createdAt,
          revocation: a.revoked!,
        })),
      signature: 'unsigned/unknown',
    });
  }
  rows.sort(
    (a, b) => a.target.localeCompare(b.target) || a.kind.localeCompare(b.kind) || b.goLine.localeCompare(a.goLine),
  );
  return { schema: 'bake.status/v1', location, generatedAt: now.toISOString(), rows };
}

/** Marks the rows whose current image `bake outdated` found behind today's inputs (by `repository:tag`). */
export function withOutdated(status: CatalogStatus, behind: { image: string }[]): CatalogStatus {
  const refs = new Set(behind.map((b) => b.image));
  return {
    ...status,
    rows: status.rows.map((row) => {
      if (row.kind === 'ami' || !row.current) return row;
      const outdated = refs.has(row.current.ref);
      return { ...row, outdated, state: outdated ? 'outdated' : row.state };
    }),
  };
}

function currentImage(image: CatalogImage, now: Date): CurrentItem {
  return {
    ref: `${image.repository}:${image.tag}`,
    digest: image.manifestDigest ?? image.imageId,
    goVersion: image.goVersion,
    vettedAt: image.vettedAt,
    ageDays: age(image.vettedAt, now),
    readiness: `${image.summary.passed}/${image.summary.checks} passed`,
    reportDigest: image.reportDigest,
    from: image.manifestDigest
      ? `FROM ${image.repository}@${image.manifestDigest}`
      : `FROM ${image.repository}:${image.tag}`,
    baseline: !!image.baseline,
  };
}

function age(iso: string, now: Date): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now.getTime() - t) / DAY_MS));
}

/**
 * The signature state a catalog record carries, read without depending on how signing records
 * it: a `signature` object with a `state` (or `signed`) field, when signing has recorded one.
 */
export function signatureState(record: object | undefined): string {
  const signature = (record as { signature?: unknown } | undefined)?.signature;
  if (!signature || typeof signature !== 'object') return 'unsigned/unknown';
  const { state, signed, keyId } = signature as { state?: unknown; signed?: unknown; keyId?: unknown };
  const word =
    typeof state === 'string' ? state : signed === true ? 'signed' : signed === false ? 'unsigned' : undefined;
  if (!word) return 'unsigned/unknown';
  return typeof keyId === 'string' && keyId ? `${word} (${keyId})` : word;
}
