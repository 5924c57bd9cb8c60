/**
 * Debian's short license names (DEP-5 uses its own list) mapped to SPDX identifiers, for the
 * names common in a base image. A name not here stays a name (CycloneDX `license.name`, SPDX
 * `LicenseRef-`): an SBOM must not claim an identifier the package did not state.
 */
const DEBIAN_TO_SPDX: Record<string, string> = {
  'GPL-1': 'GPL-1.0-only',
  'GPL-1+': 'GPL-1.0-or-later',
  'GPL-2': 'GPL-2.0-only',
  'GPL-2+': 'GPL-2.0-or-later',
  'GPL-3': 'GPL-3.0-only',
  'GPL-3+': 'GPL-3.0-or-later',
  'LGPL-2': 'LGPL-2.0-only',
  'LGPL-2+': 'LGPL-2.0-or-later',
  'LGPL-2.1': 'LGPL-2.1-only',
  'LGPL-2.1+': 'LGPL-2.1-or-later',
  'LGPL-3': 'LGPL-3.0-only',
  'LGPL-3+': 'LGPL-3.0-or-later',
  'AGPL-3': 'AGPL-3.0-only',
  'AGPL-3+': 'AGPL-3.0-or-later',
  'GFDL-1.2': 'GFDL-1.2-only',
  'GFDL-1.2+': 'GFDL-1.2-or-later',
  'GFDL-1.3': 'GFDL-1.3-only',
  'GFDL-1.3+': 'GFDL-1.3-or-later',
  Expat: 'MIT',
  'BSD-2-clause': 'BSD-2-Clause',
  'BSD-3-clause': 'BSD-3-Clause',
  'BSD-4-clause': 'BSD-4-Clause',
  'Apache-2.0': 'Apache-2.0',
  'Apache-2': 'Apache-2.0',
  'MPL-1.1': 'MPL-1.1',
  'MPL-2.0': 'MPL-2.0',
  ISC: 'ISC',
  Zlib: 'Zlib',
  zlib: 'Zlib',
  'Artistic-1.0': 'Artistic-1.0',
  Artistic: 'Artistic-1.0',
  'Artistic-2.0': 'Artistic-2.0',
  'CC0-1.0': 'CC0-1.0',
  OpenSSL: 'OpenSSL',
  MIT: 'MIT',
  X11: 'X11',
  'PSF-2': 'PSF-2.0',
  'Unicode-DFS-2016': 'Unicode-DFS-2016',
  curl: 'curl',
  'BSL-1.0': 'BSL-1.0',
};

/** The SPDX identifier (or `WITH` expression) for a Debian license name, when it has one. */
export function spdxIdOf(name: string): string | undefined {
  return DEBIAN_TO_SPDX[name] ?? DEBIAN_TO_SPDX[name.replace(/\.0(\+?)$/, '$1')];
}
