import type { BuildUser, GoEnvPolicy, Target } from '../recipe/types';

/** Where the Go tree is unpacked in every image (the official tarball's `go/` under /usr/local). */
export const GOROOT = '/usr/local/go';

/** The PATH of the base images bake builds on (Docker's default), after Go's directories. */
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The recipe's policy keys, in the order they are written everywhere (ENV, profile.d, go.env). */
export const POLICY_KEYS: readonly (keyof GoEnvPolicy)[] = [
  'GOPROXY',
  'GOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOFLAGS',
  'GO111MODULE',
  'GOTOOLCHAIN',
  'CGO_ENABLED',
];

export function userHome(user: BuildUser): string {
  return `/home/${user.name}`;
}

/**
 * The Go environment of a target's toolchain image, in a fixed key order. Paths are literal
 * (the image has one build user), so the image config, /etc/profile.d/go-env.sh and the
 * readiness checks compare the very same strings.
 */
export function goEnvironment(target: Target): Record<string, string> {
  const home = userHome(target.user);
  const env: Record<string, string> = {
    GOROOT,
    PATH: `${GOROOT}/bin:${home}/go/bin:${SYSTEM_PATH}`,
    GOPATH: `${home}/go`,
    // The seeds set GOBIN so `go install` lands on PATH; Go's default is the same directory.
    GOBIN: `${home}/go/bin`,
    GOCACHE: `${home}/.cache/go-build`,
    GOMODCACHE: `${home}/go/pkg/mod`,
  };
  for (const key of POLICY_KEYS) env[key] = target.env[key];
  return env;
}

/** The policy part of an environment, the values `$GOROOT/go.env` carries. */
export function policyValues(env: Record<string, string>): [string, string][] {
  return POLICY_KEYS.map((key) => [key, env[key] ?? '']);
}
