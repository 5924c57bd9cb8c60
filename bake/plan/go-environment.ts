import { BakeError, ExitCode } from '../common/errors';
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

/**
 * What useradd accepts as a name, and what stays one plain path segment in HOME: HOME goes
 * unquoted into WORKDIR (which expands `$`) and into paths the image build and the VM script
 * create and chown, so a name outside this is refused rather than escaped.
 */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The build user's HOME; refuses a user that no useradd (or path) would take as it is. */
export function userHome(user: BuildUser): string {
  if (!USER_NAME.test(user.name))
    throw new BakeError(
      `build user name ${JSON.stringify(user.name)} is not a POSIX user name ([a-z_][a-z0-9_-]*, up to 32)`,
      ExitCode.InvalidRecipe,
    );
  for (const [what, id] of [
    ['uid', user.uid],
    ['gid', user.gid],
  ] as const) {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new BakeError(
        `build user ${what} ${JSON.stringify(id)} is not a number of 0 or more`,
        ExitCode.InvalidRecipe,
      );
  }
  return `/home/${user.name}`;
}

/**
 * Where the go command keeps its telemetry mode for the build user (os.UserConfigDir()/go/
 * telemetry/mode). Go 1.23+ counts usage locally by default, so every `go` run changes files
 * under HOME; a golden image is set to `off`: no data collected, and a re-run provisioning or
 * a check leaves the user's files as they were.
 */
export function goTelemetryModeFile(home: string): string {
  return `${home}/.config/go/telemetry/mode`;
}
export const GO_TELEMETRY_MODE = 'off';

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
