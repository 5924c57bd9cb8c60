/** One package of the distribution's package database, as the image records it. */
export interface OsPackage {
  /** `dpkg` (status or status.d) or `rpm`. */
  manager: 'dpkg' | 'rpm';
  name: string;
  version: string;
  /** The package's architecture (`amd64`, `all`, `x86_64`, `noarch`). */
  arch: string;
  /** The source package, when it differs from the binary package's name. */
  source?: string;
  /** License names as the package records them (DEP-5 `License:` fields, rpm's LICENSE tag). */
  licenses: string[];
  /** Where the image records it: `/var/lib/dpkg/status`, `/var/lib/dpkg/status.d/tzdata`. */
  database: string;
}

/** A Go module as a binary's build info names it. */
export interface GoModule {
  path: string;
  version: string;
  /** The go.sum hash (`h1:...`), absent for the main module and for replaced modules. */
  sum?: string;
  /** What `replace` put in its place. */
  replace?: { path: string; version: string; sum?: string };
}

/** A Go binary found in the image, with the build info the Go linker embedded in it. */
export interface GoBinary {
  /** Path in the image (`/usr/local/go/bin/go`, `/usr/local/bin/bake-probe`). */
  path: string;
  sha256: string;
  /** `go1.27.4` */
  goVersion: string;
  /** The main package's path (`cmd/go`, `example.com/probe`). */
  packagePath?: string;
  main?: GoModule;
  deps: GoModule[];
  /** `build` settings (`-trimpath`, `CGO_ENABLED`, `GOARCH`, `vcs.revision`). */
  settings: Record<string, string>;
}

/** The Go distribution installed in the image, from bake's labels or from `$GOROOT/VERSION`. */
export interface GoDistributionInfo {
  /** `1.27.4` */
  version: string;
  /** sha256 of the verified archive, when the image's labels record it. */
  sha256?: string;
  /** bake's Go source kind (`official`, `mirror`, `debian`), when labeled. */
  source?: string;
  /** The official archive name (`go1.27.4.linux-amd64.tar.gz`), when labeled. */
  filename?: string;
  /** Where it was found: the labels, or the VERSION file's path. */
  evidence: string;
}

/** What an SBOM describes: an image and everything found in its layers. */
export interface ImageContents {
  image: {
    /** The engine's image id (the config digest). */
    id: string;
    /** How it was asked for (`bake/debian12-go:1.27`, a digest, a registry reference). */
    ref: string;
    /** The registry manifest digest, when the SBOM is made for a pushed image. */
    manifestDigest?: string;
    /** Where it lives in a registry (`host/prefix/debian12-go`), for the purl. */
    repository?: string;
    os: string;
    architecture: string;
    /** The image's creation time (bake's: the plan's SOURCE_DATE_EPOCH), so an SBOM is reproducible. */
    created: string;
    labels: Record<string, string>;
  };
  /** `ID` and `VERSION_ID` of /etc/os-release (`debian`, `12`), when present. */
  distro?: { id: string; versionId?: string; prettyName?: string };
  packages: OsPackage[];
  go?: GoDistributionInfo;
  goBinaries: GoBinary[];
  /** What could not be read, so an SBOM never claims to be complete when it is not. */
  notes: string[];
}

export type SbomFormat = 'cyclonedx' | 'spdx';

/** The tool that made the SBOM, for both formats' creator fields. */
export interface SbomTool {
  name: string;
  version: string;
}
