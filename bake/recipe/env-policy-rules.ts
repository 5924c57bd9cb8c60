/**
 * Go environment rules the seeds set for production: module checksums are always
 * verified, modules come through a proxy (with `direct` only as the last fallback),
 * nothing travels over plain HTTP and no credential is written into configuration.
 * Each rule returns the problems it finds as messages.
 */
export interface PolicyProblem {
  key: string;
  message: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

export function goproxyProblems(value: string): string[] {
  const entries = value.split(/[,|]/);
  const problems: string[] = [];
  if (entries.some((e) => e.trim() === '')) problems.push('has an empty entry');
  const named = entries.filter((e) => e !== 'direct' && e !== 'off');
  if (entries.includes('off')) problems.push('"off" disables module downloads; list a proxy instead');
  if (named.length === 0) {
    problems.push('must list at least one module proxy; "direct" alone bypasses the proxy and its cache');
  }
  const directAt = entries.indexOf('direct');
  if (directAt >= 0 && directAt !== entries.length - 1) problems.push('"direct" may only be the last fallback');
  for (const entry of named) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      problems.push(`entry "${entry}" is not a URL (expected https://host/path)`);
      continue;
    }
    if (url.username || url.password) problems.push(`entry "${url.host}" carries credentials; use a .netrc mounted at build time`);
    if (url.protocol === 'http:' && !LOOPBACK.test(url.host)) problems.push(`entry "${entry}" uses plain http; use https`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`entry "${entry}" must be an https URL`);
  }
  return problems;
}

export function gosumdbProblems(value: string): string[] {
  if (value.trim() === 'off') {
    return ['"off" disables checksum verification of public modules; list private paths in GOPRIVATE/GONOSUMDB instead'];
  }
  if (/:\/\/[^/]*@/.test(value)) return ['carries credentials in its URL'];
  if (/\shttp:\/\//.test(` ${value}`) || /\+http:\/\//.test(value)) return ['uses plain http; use https'];
  return [];
}

/** GOPRIVATE, GONOPROXY and GONOSUMDB: comma-separated module path globs. */
export function modulePatternProblems(value: string): string[] {
  if (value === '') return [];
  const problems: string[] = [];
  for (const pattern of value.split(',')) {
    if (pattern === '') problems.push('has an empty pattern');
    else if (/\s/.test(pattern)) problems.push(`pattern "${pattern}" contains whitespace`);
    else if (pattern.includes('://')) problems.push(`pattern "${pattern}" must be a module path glob, not a URL`);
    else if (pattern === '*') problems.push('pattern "*" exempts every module from the proxy and checksum database');
  }
  return problems;
}

export function goflagsProblems(value: string): string[] {
  const problems: string[] = [];
  for (const flag of value.split(/\s+/).filter(Boolean)) {
    if (!flag.startsWith('-')) problems.push(`"${flag}" is not a flag`);
    if (/^-+insecure/.test(flag)) problems.push(`"${flag}" allows insecure module fetches`);
    if (/^-+mod=mod$/.test(flag)) problems.push(`"${flag}" lets builds rewrite go.mod; use -mod=readonly`);
  }
  return problems;
}

/** All policy problems of a recipe's Go environment, keyed by variable. */
export function policyProblems(env: Record<string, string>): PolicyProblem[] {
  const found: PolicyProblem[] = [];
  const add = (key: string, messages: string[]) => messages.forEach((message) => found.push({ key, message }));
  add('GOPROXY', goproxyProblems(env.GOPROXY ?? ''));
  add('GOSUMDB', gosumdbProblems(env.GOSUMDB ?? ''));
  for (const key of ['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB']) add(key, modulePatternProblems(env[key] ?? ''));
  add('GOFLAGS', goflagsProblems(env.GOFLAGS ?? ''));
  return found;
}
