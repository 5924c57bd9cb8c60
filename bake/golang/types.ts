import type { Arch, GoSourceKind } from '../recipe/types';

/** One file of a release, exactly as the official `?mode=json&include=all` index lists it. */
export interface GoReleaseFile {
  filename: string;
  os: string;
  arch: string;
  version: string;
  sha256: string;
  size: number;
  kind: 'archive' | 'installer' | 'source';
}

/** One release of the official index (`version` is "go1.22.12"). */
export interface GoRelease {
  version: string;
  stable: boolean;
  files: GoReleaseFile[];
}

export type GoReleaseIndex = GoRelease[];

/** A supported Go line in force (computed from upstream and the site's policy.yaml). */
export interface GoPolicyLine {
  line: string;
  minimumPatch: string;
  recommended: string;
  /** Set for a line the site keeps past upstream support (or caps); upstream lines have none. */
  endOfSupport?: string;
  /** 'upstream': among the newest lines of the release index; 'site': kept by policy.yaml. */
  origin?: 'upstream' | 'site';
}

/** A line as policy.yaml states it: only `line` is required, the rest overrides upstream. */
export interface GoPolicyLineOverride {
  line: string;
  minimumPatch?: string;
  recommended?: string;
  endOfSupport?: string;
}

/** recipes/policy.yaml: how many upstream lines are supported, and the site's own lines. */
export interface GoVersionPolicy {
  /** The newest N stable lines of the release index are supported (0: only `lines`). */
  upstreamLines: number;
  lines: GoPolicyLineOverride[];
}

/** What the version policy says about a resolved version. */
export interface PolicyVerdict {
  status: 'supported' | 'expiring';
  line: string;
  /** Absent while the line is supported upstream (it ends when a newer line is released). */
  endOfSupport?: string;
  recommended: string;
  messages: string[];
}

/**
 * A Go distribution resolved for one architecture and verified: its archive is in the cache,
 * its sha256 matched a signed manifest. The plan records all of it but `path`.
 */
export interface GoDistribution {
  /** "1.22.12" */
  version: string;
  arch: Arch;
  source: GoSourceKind;
  /** Official file name, e.g. "go1.22.12.linux-arm64.tar.gz" */
  filename: string;
  sha256: string;
  size: number;
  /** Where it came from: a URL, a mirror location, or Debian package versions. */
  origin: string;
  /** One line per verification step done, for the plan and the image labels. */
  verifiedBy: string[];
}

export interface CachedGoDistribution extends GoDistribution {
  /** Path of the verified archive in the content-addressed cache. */
  path: string;
}

/** A place Go distributions come from (official downloads, an offline mirror, Debian's archive). */
export interface GoSource {
  readonly kind: GoSourceKind;
  /** Human-readable location, for messages. */
  readonly location: string;
  /** The releases this source offers for `arch`, in the official index format, authenticated. */
  index(arch: Arch): Promise<GoReleaseIndex>;
  /** Fetches (or reuses from the cache) one archive, verified; never returns unverified bytes. */
  fetch(file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution>;
}

/** An OpenPGP public key bake trusts for signatures (the embedded Go key, or a site's mirror key). */
export interface TrustedKey {
  /** Primary key fingerprint, lower-case hex. */
  fingerprint: string;
  /** First user id, for messages. */
  userId: string;
  /** Where it came from: "embedded", a file path. */
  source: string;
  key: import('openpgp').PublicKey;
}

/** One apt source entry of the machine, whichever format (one-line or deb822) it was written in. */
export interface AptSourceEntry {
  uris: string[];
  suites: string[];
  components: string[];
}
