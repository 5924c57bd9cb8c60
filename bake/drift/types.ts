import type { Readable } from 'node:stream';
import type { ExecOptions, ExecResult } from '../readiness/types';

/** What a baseline describes: an image kind, or a VM template (AMI). */
export type BaselineKind = 'toolchain' | 'runtime' | 'vm';

/**
 * What was vetted, as it can be compared later: flat records, one fact each, so the pipeline
 * (TypeScript, through the engine) and a host's own timer (shell) write the same keys:
 * - `user`: the default user (the image config's USER; a VM's build user)
 * - `env:NAME`: the process environment a non-login process gets (Go variables and PATH)
 * - `go.env:NAME`, `go.env.login:NAME`: `go env -json` of the build user, in a plain process
 *   and in a login shell
 * - `file:PATH`: `sha256=<hex> mode=<octal> uid=<n> gid=<n>`, or `absent`
 * - `tree:PATH`: `entries=<n> meta=sha256:<hex> sums=sha256:<hex>` (see tree-listing.ts)
 * - `vm.selinux`, `vm.service:UNIT` (`enabled` / `disabled`): VM templates only
 */
export interface Baseline {
  schema: 'bake.baseline/v1';
  kind: BaselineKind;
  capturedAt: string;
  values: Record<string, string>;
  /** Whose login shell `go.env.login` was captured in, so a later capture runs the same one. */
  buildUser?: { name: string; home: string };
}

/**
 * A tree's two listings: `meta`, one line per entry (`type mode uid gid path[ -> target]`),
 * and `sums`, one `sha256  path` line per regular file, each sorted bytewise. The tree record
 * holds their sha256, so a listing kept anywhere (a catalog blob, a host's own copy) is
 * authenticated by the record before it is used.
 */
export interface TreeListing {
  meta: string;
  sums: string;
}

/** A baseline with the listings of its trees (by tree path), as a capture produces it. */
export interface Capture {
  baseline: Baseline;
  trees: Record<string, TreeListing>;
}

/** How much a difference matters, as the issue tracker and the seeds name the classes. */
export type Severity = 'policy-changed' | 'integrity-changed' | 'extra-file' | 'permission-loosened';

/** One difference between the baseline and the live environment. */
export interface Finding {
  /** The record it concerns (`go.env:GOSUMDB`, `file:/etc/profile.d/go-env.sh`, `tree:/usr/local/go`). */
  key: string;
  severity: Severity;
  /** What differs, in words: "GOSUMDB in go env", "/usr/local/go/bin/go". */
  subject: string;
  expected: string;
  actual: string;
  /** How it was seen: the command or the read that gave the actual value. */
  evidence: string;
}

export interface DriftSubject {
  kind: 'container' | 'host' | 'image';
  /** As the user named it: a container id, user@host, an image reference. */
  ref: string;
  /** The engine's id of a container or image. */
  id?: string;
}

export interface DriftReport {
  schema: 'bake.drift/v1';
  subject: DriftSubject;
  target: string;
  baseline: {
    kind: BaselineKind;
    capturedAt: string;
    /** Where it came from: the catalog's location, or the host's own copy. */
    source: string;
    /** The vetted artifact it belongs to: an image id or manifest digest, an AMI id. */
    artifact: string;
  };
  drifted: boolean;
  findings: Finding[];
  checkedAt: string;
  durationMs: number;
}

/**
 * How a capture reaches an artifact through the engine: a tar of a path as root sees it (never
 * through the artifact's own tools, which may be the drift), commands where it has a shell,
 * and the process environment and user it runs with.
 */
export interface ArtifactAccess {
  /** A tar stream of `path` (its last component first), or undefined when it does not exist. */
  archive(path: string): Promise<Readable | undefined>;
  /** Absent for an artifact without a shell (the runtime kind). */
  exec?(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** The environment and user its processes start with (a container's config, an image's). */
  processConfig(): Promise<{ env: Record<string, string>; user: string }>;
}

/** What a capture needs to know of the target beyond the artifact: where Go is, who builds. */
export interface CaptureSpec {
  kind: BaselineKind;
  goroot: string;
  user: { name: string; home: string };
  /** Files whose content and mode are recorded on their own (the policy files). */
  files: string[];
  /** Trees recorded whole (paths, modes, owners, contents). */
  trees: string[];
}
