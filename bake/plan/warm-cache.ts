import type { Target } from '../recipe/types';
import type { WarmCache } from './types';

/**
 * What a service's first build needs compiled: the HTTP, TLS, JSON, SQL, logging, exec and
 * testing packages pull in most of the standard library's expensive core (runtime, reflect,
 * crypto, net). About 210 packages and 100 MiB of cache, where all of `std` is 180 MiB.
 */
export const DEFAULT_WARM_PACKAGES: readonly string[] = [
  'context',
  'crypto/tls',
  'database/sql',
  'encoding/json',
  'flag',
  'log/slog',
  'net/http',
  'os/exec',
  'os/signal',
  'os/user',
  'testing',
];

/** Flags in GOFLAGS that change a standard-library package's cache key. */
const CACHE_FLAGS: Record<string, RegExp> = { '-trimpath': /^--?trimpath(=true)?$/ };

/**
 * The cache for the target's policy: compiled with the flags its GOFLAGS sets, so a plain
 * `go build` in the image finds it (CGO_ENABLED, GOOS and GOARCH come from the builder's
 * environment). Undefined when the recipe turns it off (`go.warmCache: false`).
 */
export function warmCache(target: Pick<Target, 'go' | 'env'>): WarmCache | undefined {
  const wanted = target.go.warmCache ?? true;
  if (wanted === false) return undefined;
  const goflags = target.env.GOFLAGS.split(/\s+/).filter(Boolean);
  return {
    packages: wanted === true ? [...DEFAULT_WARM_PACKAGES] : [...new Set(wanted)].sort(),
    flags: Object.entries(CACHE_FLAGS)
      .filter(([, pattern]) => goflags.some((f) => pattern.test(f)))
      .map(([flag]) => flag),
  };
}
