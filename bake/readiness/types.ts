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
}

/** One entry of one layer, streamed: `read` only works before the iteration moves on. */
export interface LayerFile {
  /** Absolute path in the image ("/etc/passwd"). */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  mode: number;
  uid: number;
  size: number;
  /** Which layer it came from, for evidence ("layer 3"). */
  layer: string;
  /** The content of a small regular file (throws for files over the driver's limit). */
  read(): Promise<Buffer>;
}

/**
 * How a check reaches an artifact. The same checks run against a container from an image, and
 * later a VM; what a driver cannot do (a VM has no image config) is simply absent.
 */
export interface Driver {
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** A file's content (symlinks followed), or undefined when the path does not exist. */
  readFile(path: string): Promise<Buffer | undefined>;
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
  run(driver: Driver, expect: ReadinessExpectations, logger: Logger): Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  description: string;
  durationMs: number;
}

export interface Report {
  schema: 'bake.report/v1';
  artifact: { kind: ArtifactKind; ref: string; id: string; platform: string };
  /** Target name, e.g. "debian12-amd64". */
  target: string;
  passed: boolean;
  results: CheckResult[];
  /** Checks the recipe skips (`checks.skip`), listed so a skip is never silent. */
  skipped: { id: string; reason: string }[];
  startedAt: string;
  durationMs: number;
}
