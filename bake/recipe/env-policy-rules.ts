import { urlCredential } from '../common/url-credentials';
import { globElement } from './module-patterns';
import { shownValue } from './recipe-errors';

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
      problems.push(`entry ${shownValue(entry)} is not a URL (expected https://host/path)`);
      continue;
    }
    if (urlCredential(entry))
      problems.push(`entry ${shownValue(url.host)} carries credentials; use a .netrc mounted at build time`);
    if (url.protocol === 'http:' && !LOOPBACK.test(url.host))
      problems.push(`entry ${shownValue(entry)} uses plain http; use https`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      problems.push(`entry ${shownValue(entry)} must be an https URL`);
  }
  return problems;
}

export function gosumdbProblems(value: string): string[] {
  if (value.trim() === 'off') {
    return [
      '"off" disables checksum verification of public modules; list private paths in GOPRIVATE/GONOSUMDB instead',
    ];
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
    else if (/\s/.test(pattern)) problems.push(`pattern ${shownValue(pattern)} contains whitespace`);
    else if (pattern.includes('://'))
      problems.push(`pattern ${shownValue(pattern)} must be a module path glob, not a URL`);
    else if (matchesEveryPublicModule(pattern))
      problems.push(
        `pattern ${shownValue(pattern)} matches every public module path, ` +
          'exempting them all from the proxy and checksum database',
      );
  }
  return problems;
}

/** Module paths of every common shape: a pattern matching all of them matches "everything". */
const PUBLIC_MODULE_SAMPLES = [
  'github.com/a/b',
  'golang.org/x/mod',
  'gopkg.in/yaml.v3',
  'k8s.io/api',
  'go.uber.org/zap',
  'example.com/m',
  'bitbucket.org/a/b',
  'go.etcd.io/bbolt',
];

/**
 * Whether a GOPRIVATE-style glob matches every sample path, as the go command matches them:
 * path.Match against the path's leading elements, as many as the pattern has (a star,
 * a star-dot-star, one star per element, and the like).
 */
export function matchesEveryPublicModule(pattern: string): boolean {
  const parts = pattern.replace(/\/+$/, '').split('/');
  let element: RegExp[];
  try {
    element = parts.map(globElement);
  } catch {
    return false;
  }
  return PUBLIC_MODULE_SAMPLES.every((path) => {
    const segments = path.split('/');
    return segments.length >= element.length && element.every((re, i) => re.test(segments[i]));
  });
}

export function goflagsProblems(value: string): string[] {
  const problems: string[] = [];
  for (const flag of value.split(/\s+/).filter(Boolean)) {
    if (!flag.startsWith('-')) problems.push(`${shownValue(flag)} is not a flag`);
    if (/^-+insecure/.test(flag)) problems.push(`${shownValue(flag)} allows insecure module fetches`);
    if (/^-+mod=mod$/.test(flag)) problems.push(`${shownValue(flag)} lets builds rewrite go.mod; use -mod=readonly`);
    // Flags that run another program or swap the sources or go.mod a build reads.
    const name = /^-+([a-z]+)/.exec(flag)?.[1];
    if (name === 'toolexec' || name === 'exec')
      problems.push(`${shownValue(flag)} runs another program around the build's tools`);
    if (name === 'overlay') problems.push(`${shownValue(flag)} replaces source files of the build with others`);
    if (name === 'modfile') problems.push(`${shownValue(flag)} reads another go.mod than the module's own`);
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
