import type { Target } from '../recipe/types';
import { FAMILY } from './family';

/** Where a context carries the site's CA certificates (under files/, which RUN steps bind-mount). */
const CA_DIR = 'ca';

/**
 * The site's CA certificates (ca.extra) as files of both contexts: one certificate per file,
 * named by its hash (`bake-<sha256 16>.crt`), so two CAs never collide and the trust store
 * shows which ones bake put there.
 */
export function siteCaFiles(target: Pick<Target, 'ca'>): { path: string; name: string; content: string }[] {
  return (target.ca?.extra ?? []).map((c) => {
    const name = `bake-${c.sha256.slice(0, 16)}.crt`;
    return { path: `files/${CA_DIR}/${name}`, name, content: c.pem };
  });
}

/** The commands that install them (from the context's files/, bind-mounted at `filesMount`); none without ca.extra. */
export function siteCaCommands(target: Pick<Target, 'ca' | 'family'>, filesMount: string): string[] {
  const files = siteCaFiles(target);
  if (files.length === 0) return [];
  return FAMILY[target.family].installCaCommands(
    `${filesMount}/${CA_DIR}`,
    files.map((f) => f.name),
  );
}
