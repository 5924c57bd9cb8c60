import type { z } from 'zod';
import type { customCheckSchema, textMatchSchema, waiverSchema } from './custom-check-schema';
import type { recipeSchema } from './recipe-schema';
import type { ARCHES, FAMILIES, GO_SOURCES, IMAGE_KINDS } from './vocabulary';

export type Arch = (typeof ARCHES)[number];
export type Family = (typeof FAMILIES)[number];
export type ImageKind = (typeof IMAGE_KINDS)[number];
export type GoSourceKind = (typeof GO_SOURCES)[number];

/** A recipe as written (after defaults are merged) and validated. */
export type Recipe = z.infer<typeof recipeSchema> & {
  /** Recipe name: `name:` in the file, else the file's base name (`rocky9`). */
  name: string;
  /** Path of the YAML file it came from, for messages. */
  file: string;
  /** The base tags pinned through recipes/bases.lock.yaml (what `bake base update` resolves). */
  lockedBases?: Partial<Record<Arch, string>>;
  /** What `checks.import` brought in: translated checks, and what could not be translated. */
  imported?: { checks: CustomCheck[]; findings: CheckFinding[] };
  /** The certificates of `ca.extra`, read and validated (absent when it lists none). */
  caCertificates?: CaCertificate[];
};

/** One of the site's CA certificates (`ca.extra`), as validated from its PEM file. */
export interface CaCertificate {
  /** The file it came from, relative to the recipes directory. */
  file: string;
  /** One line: `CN=Corp Root CA, O=Corp`. */
  subject: string;
  /** sha256 of the DER certificate, lowercase hex: its identity. */
  sha256: string;
  /** The certificate alone, re-encoded from its DER bytes. */
  pem: string;
}

/**
 * A tool of the toolchain image, built by the builder stage into /usr/local/bin/<name>: a
 * package of the Go distribution, or (with `module`) a package at an exact module version
 * fetched through the site's module proxy.
 */
export interface TargetTool {
  name: string;
  /** The Go package path, without a version. */
  package: string;
  module?: {
    /** The module holding the package. */
    path: string;
    /** Its exact version (`v1.4.2`). */
    version: string;
    /** The module's h1: hash the recipe pins (required for private paths). */
    sum?: string;
  };
}

/** A site's own readiness check as the recipe writes it (or an imported suite translates to). */
export type CustomCheck = z.infer<typeof customCheckSchema> & {
  /** The imported file it was translated from; absent for checks written in the recipe. */
  origin?: string;
};
export type TextMatch = z.infer<typeof textMatchSchema>;
export type Waiver = z.infer<typeof waiverSchema>;

/** A test of an imported suite that bake cannot run as written: listed in every report, never dropped silently. */
export interface CheckFinding {
  /** The id the test would have had (`cst.structure.git-is-installed`). */
  id: string;
  /** The imported file. */
  origin: string;
  reason: string;
  /** The kinds the import is for (default: toolchain), so only those reports list it. */
  kinds?: CustomCheck['kinds'];
}

/** What a target's readiness suite adds to and leaves out of bake's own checks. */
export interface TargetChecks {
  extra: string[];
  /** Permanent skips (no reason, no date): still honored, with a warning. */
  skip: string[];
  /** The recipe's own checks, then the imported ones; absent when there are none. */
  custom?: CustomCheck[];
  waive?: Waiver[];
  findings?: CheckFinding[];
}

export type GoEnvPolicy = Recipe['env'];
export type BuildUser = Recipe['user'];

/** The machine-dependent part of a VM template, resolved for one architecture. */
export interface TargetVm {
  sourceAmi: { name: string; owners: string[]; architecture: 'x86_64' | 'arm64' };
  instanceType: string;
  rootVolumeGiB: number;
  services: { enable: string[]; disable: string[] };
  selinux: 'enforcing' | 'permissive' | 'disabled' | 'none';
}

/**
 * One recipe for one architecture: the flat, central type every later stage takes.
 * Everything a build depends on from the recipe is here, resolved for `arch`.
 */
export interface Target {
  name: string;
  recipe: string;
  recipeFile: string;
  distro: string;
  version: string;
  family: Family;
  arch: Arch;
  kinds: ImageKind[];
  base: {
    ref: string;
    /** Set when the base may be bootstrapped from the distribution's archive (debian family). */
    bootstrap?: { suite: string; variant: 'minbase' };
  };
  packages: string[];
  go: {
    versions: string;
    sources: GoSourceKind[];
    mirror?: string;
    /** The site's module proxy for module tools (recipe `go.proxy`; the command line overrides it). */
    proxy?: string;
    /** The standard library shipped compiled in the toolchain image (recipe `go.warmCache`). */
    warmCache?: boolean | string[];
  };
  env: GoEnvPolicy;
  user: BuildUser;
  tools: TargetTool[];
  /** The site's CA certificates, trusted by the builder stage and installed in both image kinds. */
  ca?: { extra: CaCertificate[] };
  image: { sizeBudgetMB: number; runtimeSizeBudgetMB: number };
  vm: TargetVm;
  checks: TargetChecks;
}
