import type { CommandResult } from '../../common/types';
import type { Arch } from '../../recipe/types';

/** One binary package version as the archive's (signed) Packages index describes it. */
export interface DebianPackage {
  package: string;
  version: string;
  /** Debian architecture: "amd64", "arm64" or "all". */
  architecture: string;
  /** Source package name ("golang-1.22"); the binary's own name when the field is absent. */
  source: string;
  /** Version of the source package: differs from `version` for a binary-only rebuild ("+b1"). */
  sourceVersion: string;
  /** Path in the archive's pool. */
  filename: string;
  size: number;
  sha256: string;
}

/** apt driven with a private configuration: never the system's sources, lists, status or locks. */
export interface PrivateApt {
  readonly dir: string;
  /** Runs `apt-get update` when the lists are missing, stale or for other sources; once per instance. */
  ensureLists(): Promise<void>;
  /** Names of known packages starting with `prefix`. */
  packageNames(prefix: string): Promise<string[]>;
  /** `apt-cache show` stanzas (every version) of the given `name[:arch]` specs. */
  show(specs: string[]): Promise<string>;
  /** `apt-get download name[:arch]=version...` into `destDir`; apt checks each .deb against the signed lists. */
  download(specs: string[], destDir: string): Promise<void>;
  /** `apt-get`/`apt-cache` with the private options (then `extraOptions`, which override them) on fresh lists. */
  exec(command: 'apt-get' | 'apt-cache', args: string[], extraOptions?: string[]): Promise<CommandResult>;
}

/**
 * What one repack produced, kept beside the cache so later runs find the archive (by its
 * sha256 in the content-addressed cache) without apt. The archive itself is re-hashed by the
 * cache on every use, so a tampered record can at worst point at a missing entry.
 */
export interface DebianGoRecord {
  filename: string;
  sha256: string;
  size: number;
  debs: { package: string; version: string; sha256: string }[];
}

/** A Go release Debian ships for one architecture: the compiler package and its sources. */
export interface DebianGoBuild {
  /** "1.22.12" */
  goVersion: string;
  stable: boolean;
  arch: Arch;
  /** golang-1.NN-go for `arch` */
  go: DebianPackage;
  /** golang-1.NN-src (Architecture: all) built from the same source version */
  src: DebianPackage;
}

/** A Go version as the official index names it, derived from a Debian package version. */
export interface DebianGoVersion {
  /** "1.22.12" (the official index's "go1.22.12" without the prefix). */
  version: string;
  stable: boolean;
}

/** One entry of the repacked archive: a real file or directory (symlinks are resolved away). */
export interface RepackEntry {
  /** Path in the archive, e.g. "go/bin/go"; directories end with "/". */
  name: string;
  type: 'file' | 'directory';
  /** Permission bits as packaged, never group/other-writable, no setuid/setgid/sticky. */
  mode: number;
  size: number;
  /** Where the bytes are read from (a file) on disk. */
  source: string;
}

export interface RepackResult {
  sha256: string;
  size: number;
  entries: number;
  mtime: Date;
}
