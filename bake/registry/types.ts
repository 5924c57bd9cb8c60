import type { Baseline } from '../drift/types';
import type { Plan } from '../plan/types';
import type { Arch, ImageKind } from '../recipe/types';

/** What publishing reads of an image that passed its checks (the pipeline's image results carry it). */
export interface VettedImage {
  kind: ImageKind;
  /** The engine's image id: what is tagged and pushed. */
  imageId: string;
  /** The immutable tag (`repository:tag`) it has on this machine. */
  immutableRef?: string;
  /** sha256 of the readiness report that vetted it. */
  reportDigest: string;
  /** This run's report, when it was checked in this run (else the local catalog has it). */
  reportFiles?: { json: string };
  /** What was vetted, for drift detection: captured right after the readiness suite passed. */
  baseline?: Baseline;
  /** When this run built it (absent for an image that was up to date). */
  build?: { startedAt?: string; finishedAt?: string };
}

/**
 * Whether bake signed a pushed image, with which key, and what it attested. `unsigned`: pushed
 * without a signing key. Absent in entries written before images were signed.
 */
export interface ImageSignature {
  state: 'signed' | 'unsigned';
  /** `sha256:` of the signing public key (PEM): which key verifies it. */
  keyId?: string;
  /** The in-toto predicate types attached to the image. */
  attestations?: string[];
  signedAt?: string;
}

/** A target whose images all passed, with the plan they were built from: what a run publishes. */
export interface PublishableTarget {
  plan: Plan;
  images: VettedImage[];
}

/**
 * How publishing one target ended: recorded (and pushed, with a registry) under `refs`, or why
 * not. The caller applies a failure to its own result of the target.
 */
export type PublishOutcome =
  | { target: string; status: 'published'; refs: string[] }
  | { target: string; status: 'failed' | 'interrupted'; exitCode: number; message: string };

/** One vetted image, as the catalog records it. Nothing that failed is ever recorded. */
export interface CatalogImage {
  target: string;
  recipe: string;
  arch: Arch;
  kind: ImageKind;
  goVersion: string;
  goSha256: string;
  goSource: string;
  baseRef: string;
  baseDigest: string;
  /** The archive state of a bootstrapped base (its packages' versions), when the plan resolved one. */
  baseArchiveDigest?: string;
  /** The OS packages pinned in this image (name → version); absent in older entries. */
  packages?: Record<string, string>;
  inputsDigest: string;
  /** The engine's image id (the config digest): the same on every engine and registry. */
  imageId: string;
  /** Where consumers pull it: `bake/debian12-go` locally, `host/prefix/debian12-go` in a registry. */
  repository: string;
  /** The immutable tag. */
  tag: string;
  /** The manifest digest in the registry (absent for a local catalog). */
  manifestDigest?: string;
  /** sha256 of the readiness report (also on the image as a label); the report is kept beside the catalog. */
  reportDigest: string;
  summary: { checks: number; passed: number; skipped: number; waived?: number };
  /**
   * The waivers the verdict relied on (checks that failed without gating the tag). Past a
   * waiver's `until` the image is no longer vetted as it stands: it is checked again.
   */
  waivers?: { id: string; until: string }[];
  vettedAt: string;
  /** Signature and attestations of the pushed image (registry catalogs only). */
  signature?: ImageSignature;
  /** What was vetted, as `bake drift` compares it (absent in entries vetted before baselines were kept). */
  baseline?: Baseline;
  /** Set by `bake registry revoke`: moving tags leave it, pin and verify refuse it, the nightly rebuilds it. */
  revoked?: Revocation;
}

/** Who revoked a vetted artifact, when and why. */
export interface Revocation {
  at: string;
  by: string;
  reason: string;
}

/** One vetted VM template (AMI), as the catalog records it beside the target's OCI images. */
export interface CatalogAmi {
  target: string;
  region: string;
  amiId: string;
  name: string;
  snapshotIds: string[];
  goVersion: string;
  goSha256: string;
  inputsDigest: string;
  report: { passed: true; summary: string };
  createdAt: string;
  copies: { region: string; amiId: string }[];
  /** What the provisioning script recorded on the builder after its checks passed (when its console was readable). */
  baseline?: Baseline;
  revoked?: Revocation & {
    /** Whether EC2 took the deprecation (EnableImageDeprecation), or why not; the AMI is tagged either way. */
    deprecation?: string;
  };
}

/** The catalog of one target: one document per target, so CI shards never write the same one. */
export interface TargetCatalog {
  schema: 'bake.catalog/v1';
  target: string;
  images: CatalogImage[];
  /** Absent in documents written before AMIs were recorded. */
  amis?: CatalogAmi[];
  updatedAt: string;
}

/**
 * Where the catalog lives: a directory on this machine (the default when no registry is
 * given) or the registry itself, where any consumer can read it with the registry API.
 * Every write replaces one target's document atomically.
 */
/**
 * Where this machine keeps readiness reports by digest and which image each one vetted: the
 * verdict stays out of the image (a label would change its digest on every run).
 */
export interface VerdictStore {
  putReport(report: Buffer): Promise<string>;
  getReport(digest: string): Promise<Buffer | undefined>;
  recordVerdict(imageId: string, reportDigest: string): Promise<void>;
  /** The report digest that vetted `imageId`, if one did. */
  verdictOf(imageId: string): Promise<string | undefined>;
}

export interface CatalogStore {
  /** For messages: a directory or `host/prefix`. */
  readonly location: string;
  targets(): Promise<string[]>;
  read(target: string): Promise<TargetCatalog | undefined>;
  write(catalog: TargetCatalog): Promise<void>;
  /** Stores a readiness report (report.json bytes) by its sha256; returns `sha256:<hex>`. */
  putReport(report: Buffer): Promise<string>;
  getReport(digest: string): Promise<Buffer | undefined>;
}
