import type { Arch } from '../../recipe/types';

export interface BaseImage {
  /** A local reference the Dockerfile's FROM can use (a bake-owned tag, one per arch). */
  imageRef: string;
  /** The registry digest of a pulled base; the rootfs tar's sha256 of a bootstrapped one. */
  digest: string;
  bootstrapped: boolean;
}

export interface BootstrapSpec {
  suite: string;
  arch: Arch;
  variant: 'minbase';
  /** Packages included in the root filesystem (ca-certificates always). */
  packages: string[];
  /** dpkg options written into the base (what it leaves out: docs, man pages, locales). */
  dpkgOptions?: string[];
  /** `mmdebstrap --version`: a different tool version may build a different tree. */
  toolVersion: string;
  /** The archive state the plan resolved the base's packages to (`sha256:` of their versions). */
  archiveDigest?: string;
  /** sha256 of each extra keyring trusted for the archive (it is copied into the base). */
  keyrings?: string[];
}

export interface BootstrappedBase {
  imageRef: string;
  /** `sha256:` of the root filesystem tar the image was made from. */
  digest: string;
}

export interface DebianMirror {
  /** The Debian archive (`.../debian`). */
  archive: string;
  /** The security archive, when the host uses one. */
  security?: string;
}
