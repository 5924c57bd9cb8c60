import type { DebianMirror } from './types';

import { BakeError, ExitCode } from '../../common/errors';
import { redact } from '../../common/redact';
import { urlCredential } from '../../common/url-credentials';
import {
  debianSecurityUri,
  firstFetchableUri,
  hasUpdateSuites,
  isDebianSuite,
  readAptSources,
} from '../../golang/debian/apt-sources';

/**
 * The Debian mirror this machine's apt uses, read at run time from /etc/apt (or
 * BAKE_DEBIAN_MIRROR, BAKE_DEBIAN_SECURITY_MIRROR), so no mirror host is written into the project.
 */
export async function findDebianMirror(env: NodeJS.ProcessEnv, etcApt = '/etc/apt'): Promise<DebianMirror> {
  const override = env.BAKE_DEBIAN_MIRROR?.trim();
  const entries = await readAptSources(etcApt);
  const security = env.BAKE_DEBIAN_SECURITY_MIRROR?.trim() || debianSecurityUri(entries);
  // A bootstrap only needs the mirror's host and path: a line of -updates alone names it too.
  const archive =
    override || firstFetchableUri(entries, (e) => e.suites.some((s) => isDebianSuite(s, { pockets: true })));
  if (!archive) {
    throw new BakeError(
      `no Debian archive in ${etcApt}/sources.list or ${etcApt}/sources.list.d/; ` +
        'set BAKE_DEBIAN_MIRROR to a Debian mirror URL',
      ExitCode.Unavailable,
    );
  }
  for (const uri of [archive, security]) {
    // A URI with credentials would be copied into the image's sources.list.
    if (uri && urlCredential(uri)) {
      throw new BakeError(
        `the apt source ${redact(uri)} carries credentials; set BAKE_DEBIAN_MIRROR to a mirror URL without them`,
        ExitCode.Unavailable,
      );
    }
  }
  return { archive: archive.replace(/\/+$/, ''), security: security?.replace(/\/+$/, '') };
}

/**
 * The apt lines of a bootstrap: the suite, plus its updates and security suites for
 * releases that have them (the host's security mirror, when it has one).
 */
export function bootstrapSourceLines(mirror: DebianMirror, suite: string): string[] {
  const lines = [`deb ${mirror.archive} ${suite} main`];
  if (hasUpdateSuites(suite)) {
    lines.push(`deb ${mirror.archive} ${suite}-updates main`);
    if (mirror.security) lines.push(`deb ${mirror.security} ${suite}-security main`);
  }
  return lines;
}
