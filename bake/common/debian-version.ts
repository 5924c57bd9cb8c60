/**
 * Debian version ordering (deb-version(7)): epoch, then upstream version, then revision,
 * each compared by alternating non-digit parts (with `~` sorting before everything, even the
 * end) and numeric parts. Picks the newest Go build when suites carry several, and compares the
 * versions a recipe's `version` checks read from an image.
 */
export function compareDebianVersions(a: string, b: string): number {
  const pa = splitVersion(a);
  const pb = splitVersion(b);
  return pa.epoch - pb.epoch || compareFragment(pa.upstream, pb.upstream) || compareFragment(pa.revision, pb.revision);
}

export interface DebianVersionParts {
  epoch: number;
  upstream: string;
  revision: string;
}

export function splitVersion(version: string): DebianVersionParts {
  const colon = version.indexOf(':');
  const epoch = colon > 0 ? Number.parseInt(version.slice(0, colon), 10) : 0;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: Number.isFinite(epoch) ? epoch : 0,
    upstream: dash >= 0 ? rest.slice(0, dash) : rest,
    revision: dash >= 0 ? rest.slice(dash + 1) : '',
  };
}

function order(c: string): number {
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefix: character by character, end of string sorts after `~` and before anything else.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ca = i < a.length && !isDigit(a[i]) ? order(a[i]) : 0;
      const cb = j < b.length && !isDigit(b[j]) ? order(b[j]) : 0;
      if (ca !== cb) return ca - cb;
      i++;
      j++;
    }
    let na = '';
    let nb = '';
    while (i < a.length && isDigit(a[i])) na += a[i++];
    while (j < b.length && isDigit(b[j])) nb += b[j++];
    const diff = Number(na || '0') - Number(nb || '0');
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
