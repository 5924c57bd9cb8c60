import { BakeError, ExitCode } from './errors';
import { CREDENTIAL_PARAM } from './redact';

/**
 * Credentials never travel in a URL bake is given: such a URL ends up in logs, reports,
 * sources.list files in images and EC2 user data, all of which are readable far more widely
 * than the secret should be. Each flag and environment variable that takes a URL is checked
 * here, once, as it enters.
 */

/** What credential a URL carries (never the value), or undefined. Text without `scheme://` is a path, not a URL. */
export function urlCredential(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim())) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    // Unparsable, but userinfo is still recognisable and must not slip through as "not a URL".
    return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value.trim()) ? 'a user name or password' : undefined;
  }
  if (url.username || url.password) return 'a user name or password';
  const param = [...url.searchParams.keys()].find((name) => CREDENTIAL_PARAM.test(name));
  return param === undefined ? undefined : `a secret query parameter (${param})`;
}

/** Throws a usage error naming `where` (a flag or variable) and the kind of credential, never the secret. */
export function assertNoUrlCredentials(value: string, where: string): void {
  const credential = urlCredential(value);
  if (credential === undefined) return;
  throw new BakeError(
    `${where}: the URL carries credentials (${credential}), which would end up in logs, reports and images`,
    ExitCode.Usage,
    'authenticate outside the URL: a .netrc (apt: /etc/apt/auth.conf) for mirrors and proxies; ' +
      'docker login, a docker credential helper, or BAKE_REGISTRY_USERNAME and BAKE_REGISTRY_PASSWORD for registries',
  );
}

/** Environment variables that hold a URL bake fetches from or writes into an image. */
export const URL_ENV_VARS = [
  'BAKE_GO_MIRROR',
  'BAKE_DEBIAN_MIRROR',
  'BAKE_DEBIAN_SECURITY_MIRROR',
  'BAKE_GO_URL',
] as const;

export function assertNoEnvUrlCredentials(env: NodeJS.ProcessEnv): void {
  for (const name of URL_ENV_VARS) {
    const value = env[name];
    if (value) assertNoUrlCredentials(value, name);
  }
}

/**
 * A commander option parser for a flag that takes a URL (or, with `bareHost`, a registry
 * `host[:port]/prefix`, where `user:pass@host/prefix` needs no scheme to be a credential).
 */
export function urlOption(flag: string, options: { bareHost?: boolean } = {}): (value: string) => string {
  return (value) => {
    const asUrl = options.bareHost && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `https://${value}` : value;
    assertNoUrlCredentials(asUrl, flag);
    return value;
  };
}
