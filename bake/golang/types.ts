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

/** A supported Go line of recipes/policy.yaml. */
export interface GoPolicyLine {
  line: string;
  minimumPatch: string;
  recommended: string;
  endOfSupport: string;
}

export interface GoVersionPolicy {
  lines: GoPolicyLine[];
}

/** What the version policy says about a resolved version. */
export interface PolicyVerdict {
  status: 'supported' | 'expiring';
  line: string;
  endOfSupport: string;
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
