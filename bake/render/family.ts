import { assertOperand } from '../common/command-operand';
import { shellQuote } from '../common/shell-quote';
import type { PinnedPackage } from '../plan/types';
import type { Family } from '../recipe/types';

/**
 * What differs between distribution families as rendering sees it
 * (what they install is the plan's: image-packages.ts).
 */
export interface FamilyTraits {
  /** Where Go's crypto/x509 finds the CA bundle (first file of its Linux search list present there). */
  caBundlePath: string;
  /**
   * Shell commands that install packages and remove every package-manager cache and index
   * (and empty its logs) in the same layer. `packages` must already be shell-quoted (packageWords).
   * `localPackages`: a directory holding every pinned package's file, verified by bake, which
   * apt installs from without reading the archive (debian only).
   */
  installCommands(quotedPackages: string[], pins?: PinnedPackage[], localPackages?: string): string[];
  /** How the package manager names one exact version: `git=1:2.39.5-0+deb12u2`, `git-2.43.5-1.el9_4`. */
  pinSpec(pin: PinnedPackage): string;
  /**
   * What a runtime image takes from the distribution (copied with their parent directories):
   * the CA bundle where Go looks (and what it links to), the time zones, os-release for scanners,
   * and the packages' copyright files.
   */
  runtimePaths: string[];
  /** Shell commands that write, under `root`, the package records of the runtime's packages (for SBOM scanners). */
  packageRecordCommands(root: string, packages: string[]): string[];
  /**
   * Shell commands that add CA certificates (files named `names` under `from`, one PEM
   * certificate each) to the system's trust the distribution's own way, regenerating its bundle.
   */
  installCaCommands(from: string, names: string[]): string[];
}

/** Packages whose files a runtime image carries (RUNTIME_PACKAGES pull in others, which it does not). */
export const RUNTIME_CONTENT_PACKAGES = ['ca-certificates', 'tzdata'] as const;

/**
 * Package names as words of a generated command: refused when they could be read as an option
 * (yum and dnf are not relied on to honour `--`), then shell-quoted.
 */
export function packageWords(packages: string[]): string[] {
  return packages.map((p) => shellQuote(assertOperand('package', p)));
}

export const FAMILY: Record<Family, FamilyTraits> = {
  debian: {
    caBundlePath: '/etc/ssl/certs/ca-certificates.crt',
    installCommands: (packages, pins, localPackages) => {
      const fetch = [
        // Translations are never read here; under emulation each list costs seconds to parse.
        'apt-get -o Acquire::Languages=none update',
        `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -- ${packages.join(' ')}`,
        'apt-get clean',
        // Only what this step added is removed, and logs are emptied, never deleted: deleting a
        // file of the base leaves a whiteout stamped with the build's clock in the layer.
        'find /var/lib/apt/lists -mindepth 1 -maxdepth 1 -type f ! -name lock -delete',
      ].join(' && ');
      // The plan's files need no lists (reading them takes tens of seconds under emulation) and
      // no network. A base older than the archive the plan was resolved from may need an
      // upgrade they do not hold: then apt reads the archive after all.
      const install = localPackages
        ? `{ DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -- ` +
          `${shellQuote(localPackages)}/*.deb && apt-get clean; } || ` +
          `{ echo 'bake: the planned packages need more than this base has; reading the archive'; ${fetch}; }`
        : fetch;
      return [
        // A base that already has every pin at its version (a bootstrapped one, usually for the
        // runtime image) needs nothing installed.
        pins?.length
          ? `if ${debianPinsInstalled(pins)}; then echo 'bake: every pinned package is installed at its version'; ` +
            `else ${install}; fi`
          : install,
        'find /var/log -type f -exec truncate -s 0 -- {} +',
      ];
    },
    pinSpec: (pin) => `${pin.name}=${pin.version}`,
    runtimePaths: [
      '/etc/ssl/certs/ca-certificates.crt',
      '/usr/share/zoneinfo',
      '/etc/os-release',
      '/usr/lib/os-release',
      ...RUNTIME_CONTENT_PACKAGES.map((p) => `/usr/share/doc/${p}/copyright`),
    ],
    // One status stanza per package in status.d/, as distroless images do: what scanners read.
    packageRecordCommands: (root, packages) => [
      `mkdir -p -m 0755 -- ${shellQuote(`${root}/var/lib/dpkg/status.d`)}`,
      ...packageWords(packages).map(
        (p, i) => `dpkg-query --status -- ${p} > ${shellQuote(`${root}/var/lib/dpkg/status.d/${packages[i]}`)}`,
      ),
    ],
    // update-ca-certificates takes *.crt files under /usr/local/share/ca-certificates.
    installCaCommands: (from, names) => [
      ...names.map(
        (n) =>
          `install -D -m 0644 -- ${shellQuote(`${from}/${n}`)} ${shellQuote(`/usr/local/share/ca-certificates/${n}`)}`,
      ),
      'update-ca-certificates',
    ],
  },
  rhel: {
    caBundlePath: '/etc/pki/tls/certs/ca-bundle.crt',
    // `yum` is dnf on Rocky 9 and yum itself on CentOS 7; both take these options. CentOS 7 is
    // past its end of life: its mirror list is gone and its packages live on in the vault, so
    // its repositories are pointed there (a no-op anywhere the mirror list is not used).
    installCommands: (packages) => [
      `if grep -qs '^mirrorlist=http://mirrorlist.centos.org' /etc/yum.repos.d/CentOS-*.repo; then sed -i -e 's/^mirrorlist=/#mirrorlist=/' -e 's|^#\\{0,1\\}baseurl=http://mirror.centos.org|baseurl=https://vault.centos.org|' /etc/yum.repos.d/CentOS-*.repo; fi`,
      `yum install -y --setopt=tsflags=nodocs ${packages.join(' ')}`,
      'yum clean all',
      'rm -rf /var/cache/yum/* /var/cache/dnf/*',
      'find /var/log -type f -exec truncate -s 0 -- {} +',
    ],
    // dnf and yum take NAME-VERSION-RELEASE; an epoch is not part of that form.
    pinSpec: (pin) => `${pin.name}-${pin.version.replace(/^\d+:/, '')}`,
    runtimePaths: [
      '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
      '/etc/pki/tls/certs/ca-bundle.crt',
      '/usr/share/zoneinfo',
      '/etc/os-release',
      '/usr/lib/os-release',
    ],
    // The rpm database cannot be cut down to two packages, so a rhel runtime carries no package
    // records (its labels and the catalog name the plan's packages).
    packageRecordCommands: () => [],
    // update-ca-trust takes anchors from /etc/pki/ca-trust/source/anchors and extracts the bundles.
    installCaCommands: (from, names) => [
      ...names.map(
        (n) =>
          `install -D -m 0644 -- ${shellQuote(`${from}/${n}`)} ${shellQuote(`/etc/pki/ca-trust/source/anchors/${n}`)}`,
      ),
      'update-ca-trust extract',
    ],
  },
};

/** A shell test: dpkg has each pinned package installed ("ii") at exactly its version. */
function debianPinsInstalled(pins: PinnedPackage[]): string {
  const names = packageWords(pins.map((p) => p.name));
  const expected = pins.map((p) => shellQuote(`ii ${p.name}=${p.version}`));
  const format = `'\${db:Status-Abbrev}\${Package}=\${Version}\\n'`;
  const installed = `dpkg-query -W -f=${format} -- ${names.join(' ')} 2>/dev/null | sort`;
  return `[ "$(${installed})" = "$(printf '%s\\n' ${expected.join(' ')} | sort)" ]`;
}
