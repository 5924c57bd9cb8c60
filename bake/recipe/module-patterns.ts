/**
 * Module path patterns as the go command reads GOPRIVATE, GONOPROXY and GONOSUMDB:
 * comma-separated globs, each matched (path.Match) against as many leading elements of a
 * module path as it has itself, so `corp.example.com` covers `corp.example.com/platform/x`.
 */

/** Whether any pattern of the comma-separated list matches `modulePath` (Go's module.MatchPrefixPatterns). */
export function matchesModulePatterns(patterns: string, modulePath: string): boolean {
  const segments = modulePath.split('/');
  for (const raw of patterns.split(',')) {
    const glob = raw.replace(/\/+$/, '');
    if (glob === '') continue;
    const parts = glob.split('/');
    if (segments.length < parts.length) continue;
    let elements: RegExp[];
    try {
      elements = parts.map(globElement);
    } catch {
      continue;
    }
    if (elements.every((re, i) => re.test(segments[i]))) return true;
  }
  return false;
}

/**
 * The private paths of a Go environment as the go command derives them: GONOSUMDB, else
 * GOPRIVATE (an empty value counts as unset). A module matching them is never checked against
 * the checksum database, so bake asks the recipe to pin its hash instead.
 */
export function noSumDbPatterns(env: { GONOSUMDB?: string; GOPRIVATE?: string }): string {
  return env.GONOSUMDB || env.GOPRIVATE || '';
}

/** One path element of a glob as path.Match reads it: `*` and `?` never cross a `/`. */
export function globElement(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += glob[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new Error('unterminated class');
      out += `[${glob
        .slice(i + 1, end)
        .replace(/^\^/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
