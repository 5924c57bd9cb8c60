import type { Arch, ImageKind, Target } from '../recipe/types';
import type { Logger } from '../common/log';
import type { WarmCache } from '../plan/types';

/** What a readiness suite can run against: an image kind, or (later) a VM template. */
export type ArtifactKind = ImageKind | 'vm';

export interface ExecOptions {
  /** User name or uid to run as; the artifact's default user when absent. */
  user?: string;
  /** Extra variables for the process (with `loginShell`, the only ones besides a minimal set). */
  env?: Record<string, string>;
  /**
   * Run argv inside a login shell of the user started from an empty environment (plus `env`),
   * as a fresh ssh or console session would be: only what /etc/profile and profile.d export
   * is then visible, not the image config's Env.
   */
  loginShell?: boolean;
  /**
   * Stop waiting for the command after this long (a recipe's check sets its own). A driver that
   * can end the command at the deadline does; the caller bounds its own wait either way.
   */
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The parts of an image config (and history) the checks compare against. */
export interface ImageConfig {
  env: Record<string, string>;
  user: string;
  labels: Record<string, string>;
  workingDir: string;
  /** Oldest first (the reverse of `docker history`). */
  history: { createdBy: string; size: number }[];
  /** Uncompressed size of all layers, in bytes. */
  sizeBytes: number;
  os: string;
  architecture: string;
  /** Absent when the driver cannot tell (older callers); empty when the image sets none. */
  entrypoint?: string[];
  cmd?: string[];
  /** `8080/tcp`, as the config's ExposedPorts keys. */
  exposedPorts?: string[];
  volumes?: string[];
}

/** One entry of one layer, streamed: `read` only works before the iteration moves on. */
export interface LayerFile {
  /** Absolute path in the image ("/etc/passwd"). */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  mode: number;
  uid: number;
  /** Absent from drivers that do not read it. */
  gid?: number;
  /** A symlink's (or hard link's) target, as the layer records it. */
  linkTarget?: string;
  size: number;
  /** Which layer it came from, for evidence ("layer 3"). */
  layer: string;
  /** The content of a small regular file (throws for files over the driver's limit). */
  read(): Promise<Buffer>;
}

/** What a path is, symlinks followed (as stat(2) says). */
export interface FileStat {
  type: 'file' | 'directory' | 'other';
  /** Permission bits, setuid, setgid and sticky included (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

/**
 * How a check reaches an artifact. The same checks run against a container from an image, and
 * later a VM; what a driver cannot do (a VM has no image config) is simply absent.
 */
export interface Driver {
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** A file's content (symlinks followed), or undefined when the path does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
  /** A path's type, mode and owner (symlinks followed), or undefined when it does not exist; no shell needed. */
  stat?(path: string): Promise<FileStat | undefined>;
  imageConfig?(): Promise<ImageConfig>;
  layerFiles?(): AsyncIterable<LayerFile>;
  close(): Promise<void>;
}

/** Everything the checks compare an artifact against, resolved from the plan. */
export interface ReadinessExpectations {
  target: Target;
  kind: ArtifactKind;
  /** "1.22.12" */
  goVersion: string;
  arch: Arch;
  /** The Go environment every process should see (Plan.env). */
  env: Record<string, string>;
  /** sha256 of go/bin/go in the verified distribution archive. */
  goBinarySha256: string;
  user: { name: string; uid: number; gid: number; home: string };
  /** Labels that must be present with exactly these values. */
  requiredLabels: Record<string, string>;
  /** Size budget of this kind, in MiB. */
  sizeBudgetMB: number;
  /** Where Go's crypto/x509 finds the CA bundle on this distribution family. */
  caBundlePath: string;
  /** The standard-library build cache the toolchain image ships (absent: none). */
  warmCache?: WarmCache;
}

export interface Evidence {
  command: string;
  output: string;
  expected: string;
}

/** What a check decides; the suite adds id, description and timing. */
export interface CheckOutcome {
  status: 'pass' | 'fail';
  /** One line, shown in the summary table. */
  reason: string;
  evidence: Evidence[];
}

export interface Check {
  id: string;
  description: string;
  appliesTo: ArtifactKind[];
  /** Where a check that is not bake's own comes from: "recipe", or the imported suite's file. */
  origin?: string;
  /**
   * What the check touches, so the suite can run it beside others. `image`: only the image's
   * config and layers (imageConfig, layerFiles), never an exec. `artifact`: it execs, but changes
   * nothing another check looks at (no build, no cache). Unset: it may change the artifact (a
   * build writes GOCACHE), so such checks run one at a time, in order: the cache check must see
   * the shipped cache before a build check writes to it.
   */
  reads?: 'image' | 'artifact';
  run(driver: Driver, expect: ReadinessExpectations, logger: Logger): Promise<CheckOutcome>;
}

/** How a recipe's waiver (`checks.waive`) bore on a result. */
export interface WaiverNote {
  reason: string;
  /** YYYY-MM-DD, the last day it applies (UTC). */
  until: string;
  /**
   * applied: the check failed and the waiver kept it from gating; expired: past its date, so the
   * failure gates; unused: the check passed.
   */
  effect: 'applied' | 'expired' | 'unused';
}

export interface CheckResult extends Omit<CheckOutcome, 'status'> {
  id: string;
  description: string;
  /** `waived`: the check failed, and a recipe's waiver in force keeps the failure from gating the tag. */
  status: CheckOutcome['status'] | 'waived';
  durationMs: number;
  /** Where the check comes from when it is not bake's own: the recipe, or the imported suite file. */
  origin?: string;
  waiver?: WaiverNote;
}

export interface Report {
  schema: 'bake.report/v1';
  artifact: { kind: ArtifactKind; ref: string; id: string; platform: string };
  /** Target name, e.g. "debian12-amd64". */
  target: string;
  passed: boolean;
  results: CheckResult[];
  /**
   * Checks that did not run, each with why: the recipe skips them (`checks.skip`), or an
   * imported suite's test could not be translated. Listed so nothing is left out silently.
   */
  skipped: { id: string; reason: string }[];
  startedAt: string;
  durationMs: number;
}
