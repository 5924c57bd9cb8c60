import { BakeError, ExitCode } from '../../common/errors';
import { sha256Hex } from '../../common/sha256';
import { effectiveGoValue } from '../../readiness/go-env-values';
import { FAMILY } from '../../render/family';
import { assertGoArchiveName } from '../../render/go-archive-name';
import { posix } from 'node:path';
import { GO_TELEMETRY_MODE, goTelemetryModeFile, GOROOT, POLICY_KEYS, userHome } from '../../plan/go-environment';
import { readImageFile } from '../../render/image-files';
import { directoriesBelow } from '../../render/run-steps';
import { fillTemplate } from '../../render/template';
import { FAILURE_MARK, RESULT_BEGIN, RESULT_END, TAG } from '../ec2/bake-tags';
import { writeFileHeredoc } from './heredoc';
import { DRIFT_SCRIPT_PATH, DRIFT_TIMER, driftFiles } from './drift-script';
import { environmentFiles, goEnvUnit } from './provision-files';
import { shellSettings } from './shell-settings';
import type { ShellSetting } from './types';
import type { ProvisionInput } from '../types';
import { chronyUnit, unitName } from './unit-names';
import { vmPackages } from './vm-packages';

const LIBRARY = ['common.sh', 'packages-{family}.sh', 'install.sh', 'host-checks.sh', 'publish-verdict.sh'];

/**
 * The provisioning script of a target's VM template: one file, EC2 user data as it is and
 * runnable by hand. Everything it writes or compares is rendered in here from the plan.
 */
export function renderProvisionScript(input: ProvisionInput, root?: string): string {
  const { target, env } = input;
  const read = (path: string) => readImageFile(path, root).toString('utf8');
  const files = environmentFiles(env, root);
  const unit = goEnvUnit(root);
  const library = LIBRARY.map((name) => read(`vm/lib/${name.replace('{family}', target.family)}`).trimEnd()).join(
    '\n\n',
  );
  return fillTemplate(
    read('vm/provision.sh.tmpl'),
    {
      target: target.name,
      settings: shellSettings(
        settings(
          input,
          sha256Hex(unit.content),
          sha256Hex(files.find((f) => f.path === '/etc/default/go-env')!.content),
        ),
      ),
      library,
      environmentFiles: files.map((f) => writeFileHeredoc(f.path, f.mode, f.content)).join('\n'),
      unitFiles: [unit, ...driftFiles(input, root)].map((f) => writeFileHeredoc(f.path, f.mode, f.content)).join('\n'),
    },
    'vm/provision.sh.tmpl',
  );
}

/** The script puts SELINUX_MODE into a sed program and a grep pattern: it must be one of these words. */
const SELINUX_MODES = ['enforcing', 'permissive', 'disabled', 'none'];

function settings(input: ProvisionInput, unitSha256: string, defaultEnvSha256: string): Record<string, ShellSetting> {
  const { target, env } = input;
  const home = userHome(target.user);
  if (!SELINUX_MODES.includes(target.vm.selinux))
    throw new BakeError(
      `SELinux mode ${JSON.stringify(target.vm.selinux)} is not one of ${SELINUX_MODES.join(', ')}`,
      ExitCode.InvalidRecipe,
    );
  // curl gets the URL after `--` as well; a URL is still the only thing it may be.
  if (input.goUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(input.goUrl))
    throw new BakeError(`Go download URL ${JSON.stringify(input.goUrl)} is not an http(s) URL`, ExitCode.Usage);
  assertGoArchiveName(input.go.filename);
  return {
    TARGET: target.name,
    GO_VERSION: input.go.version,
    GO_ARCH: target.arch,
    GO_FILENAME: input.go.filename,
    GO_SHA256: input.go.sha256,
    GO_BINARY_SHA256: input.goBinarySha256,
    GO_URL: input.goUrl ?? '',
    GOROOT,
    BUILD_USER: target.user.name,
    BUILD_UID: String(target.user.uid),
    BUILD_GID: String(target.user.gid),
    BUILD_HOME: home,
    BUILD_DIRS: directoriesBelow(home, [
      ...['GOPATH', 'GOBIN', 'GOMODCACHE', 'GOCACHE'].flatMap((k) => (env[k] ? [env[k]] : [])),
      posix.dirname(goTelemetryModeFile(home)),
    ]),
    GO_TELEMETRY_MODE_FILE: goTelemetryModeFile(home),
    // root runs go too: go-env.service at every boot, and this script's checks.
    ROOT_TELEMETRY_MODE_FILE: goTelemetryModeFile('/root'),
    GO_TELEMETRY_MODE,
    PACKAGES: vmPackages(target),
    SERVICES_ENABLE: target.vm.services.enable.map(unitName),
    SERVICES_DISABLE: target.vm.services.disable.map(unitName),
    CHRONY_UNIT: chronyUnit(target.vm.services.enable, target.family),
    SELINUX_MODE: target.vm.selinux,
    CA_BUNDLE: FAMILY[target.family].caBundlePath,
    GO_ENV_KEYS: [...POLICY_KEYS],
    GO_ENV_WANT: POLICY_KEYS.map((key) => effectiveGoValue(key, env)),
    UNIT_SHA256: unitSha256,
    DRIFT_SCRIPT: DRIFT_SCRIPT_PATH,
    DRIFT_TIMER,
    DEFAULT_ENV_SHA256: defaultEnvSha256,
    EC2_ENDPOINT: input.ec2Endpoint ?? '',
    TAG_VERDICT: TAG.verdict,
    TAG_VERDICT_SUMMARY: TAG.verdictSummary,
    TAG_VERDICT_SHA256: TAG.verdictSha256,
    RESULT_BEGIN,
    RESULT_END,
    FAILURE_MARK,
  };
}
