import { debianSecurityUri, findDebianArchiveUri, hasUpdateSuites, readAptSources } from '../golang/debian/apt-sources';
import { DEBIAN_ARCHIVE_KEYRING } from '../golang/debian/apt-go-suites';

/** Where a target's OS packages come from: the Debian archive, its security archive, the keys trusted for them. */
export interface OsArchive {
  archive: string;
  security?: string;
  /** Keyrings apt checks each InRelease against: Debian's, plus BAKE_DEBIAN_KEYRING (a site's or a test's archive). */
  keyrings: string[];
}

/**
 * The archives of the machine's apt (no mirror host is written into the project), each
 * overridable: BAKE_DEBIAN_MIRROR, BAKE_DEBIAN_SECURITY_MIRROR; BAKE_DEBIAN_KEYRING adds
 * keyrings (colon-separated) for archives signed by another key. Signatures are always checked.
 */
export async function findOsArchive(env: NodeJS.ProcessEnv, etcApt = '/etc/apt'): Promise<OsArchive> {
  const archive = await findDebianArchiveUri({ env, etcApt });
  const security = env.BAKE_DEBIAN_SECURITY_MIRROR?.trim() || debianSecurityUri(await readAptSources(etcApt));
  const extra = (env.BAKE_DEBIAN_KEYRING ?? '')
    .split(':')
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    archive,
    ...(security ? { security: security.replace(/\/+$/, '') } : {}),
    keyrings: [DEBIAN_ARCHIVE_KEYRING, ...extra],
  };
}

/** The private deb822 sources of one suite with its -updates and -security suites. */
export function renderOsSourcesFile(archive: OsArchive, suite: string): string {
  const signedBy = `Signed-By: ${archive.keyrings.join(',')}`;
  const updates = hasUpdateSuites(suite);
  const stanzas = [
    [
      'Types: deb',
      `URIs: ${archive.archive}`,
      `Suites: ${updates ? `${suite} ${suite}-updates` : suite}`,
      'Components: main',
      signedBy,
    ],
  ];
  if (updates && archive.security)
    stanzas.push([
      'Types: deb',
      `URIs: ${archive.security}`,
      `Suites: ${suite}-security`,
      'Components: main',
      signedBy,
    ]);
  return [
    "# Written by bake: the archive a target's OS packages are resolved from (private to bake).",
    ...stanzas.map((s) => `${s.join('\n')}\n`),
  ].join('\n');
}
