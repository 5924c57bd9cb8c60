import type { PinnedPackage } from './types';

/**
 * The packages `apt-get --simulate install` would unpack, with the versions it chose:
 * `Inst NAME [OLD] (VERSION ARCHIVES [ARCH])`. An upgrade of an installed package is listed
 * too (with its new version): that is what the install really changes.
 */
export function parseSimulatedInstall(output: string): PinnedPackage[] {
  const out: PinnedPackage[] = [];
  for (const line of output.split('\n')) {
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) [^[]*\[([^\]]+)\]\)/.exec(line);
    if (m) out.push({ name: m[1].replace(/:[a-z0-9]+$/, ''), version: m[2], arch: m[3] });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** apt-cache show stanzas turned into dpkg status entries: the base's packages, "installed". */
export function statusFromShow(showOutput: string): string {
  return showOutput
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.startsWith('Package:'))
    .map((s) => s.replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed'))
    .join('\n\n')
    .concat('\n');
}
