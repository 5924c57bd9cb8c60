import { urlCredential } from '../common/url-credentials';

/**
 * Why a value cannot be the module proxy bake's builder fetches tools through, or undefined.
 * One https URL: the builder sends the site's credential to it, so plain http (readable on the
 * way) is refused, as are credentials in the URL itself (they would reach logs and the image
 * history); a list (`a,b|direct`) is not taken, because the builder has no VCS to fall back on.
 * Shared by the recipe's `go.proxy`, `--go-proxy` and BAKE_GO_PROXY.
 */
export function moduleProxyProblem(value: string): string | undefined {
  if (/[,|\s]/.test(value)) return 'one https URL, not a list (the builder fetches every module through it)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'an https URL such as https://goproxy.corp.example.com';
  }
  if (url.protocol === 'http:')
    return 'plain http would expose the credential and the modules on the way; the proxy must be https';
  if (url.protocol !== 'https:') return 'an https URL such as https://goproxy.corp.example.com';
  const credential = urlCredential(value);
  if (credential)
    return `the URL carries credentials (${credential}); give them with --secret netrc=FILE or --secret goauth=FILE`;
  if (url.search || url.hash) return 'a URL without a query or fragment';
  return undefined;
}
