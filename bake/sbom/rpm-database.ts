/**
 * Where rpm keeps its database: the sqlite file of RHEL 9 and Rocky 9 (also under
 * /usr/lib/sysimage on newer releases) and the Berkeley DB of CentOS 7. bake does not read
 * them yet (no rhel-family image can be built here to test against); finding one makes the
 * SBOM say that its package list is incomplete.
 */
const RPM_DATABASES = [
  '/var/lib/rpm/rpmdb.sqlite',
  '/usr/lib/sysimage/rpm/rpmdb.sqlite',
  '/var/lib/rpm/Packages',
  '/usr/lib/sysimage/rpm/Packages',
];

export function isRpmDatabase(path: string): boolean {
  return RPM_DATABASES.includes(path);
}
