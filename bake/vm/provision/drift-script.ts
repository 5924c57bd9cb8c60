import { systemdCommandLine } from '../../common/systemd-quote';
import { GOROOT, userHome } from '../../plan/go-environment';
import { readImageFile } from '../../render/image-files';
import { fillTemplate } from '../../render/template';
import type { Target } from '../../recipe/types';
import { BASELINE_BEGIN, BASELINE_END, TAG } from '../ec2/bake-tags';
import type { ProvisionFile } from './types';
import { shellSettings } from './shell-settings';
import { chronyUnit, DEFAULT_GO_ENV_PATH, GO_ENV_UNIT, GO_ENV_UNIT_PATH, unitName } from './unit-names';

/** The host's drift check, its unit and its daily timer. */
export const DRIFT_SCRIPT_PATH = '/usr/local/sbin/bake-drift';
export const DRIFT_SERVICE = 'bake-drift.service';
export const DRIFT_TIMER = 'bake-drift.timer';
const UNIT_DIR = '/etc/systemd/system';
/** Where the script keeps the baseline and its last verdict on the host. */
export const HOST_BASELINE_DIR = '/var/lib/bake/baseline';
export const HOST_DRIFT_FILE = '/var/lib/bake/drift.json';

const LIBRARY = ['common.sh', 'publish-verdict.sh', 'drift.sh'];

export interface DriftScriptInput {
  target: Target;
  /** The EC2 API an instance tags itself through; the regional endpoint when absent. */
  ec2Endpoint?: string;
}

/**
 * The drift check of a target's hosts, one standalone script: the provisioning script installs it
 * (and records the baseline with it), its timer runs it daily, and `bake drift --host` sends the
 * very same text through ssh, so the three never compare in different ways.
 */
export function renderDriftScript(input: DriftScriptInput, root?: string): string {
  const read = (path: string) => readImageFile(path, root).toString('utf8');
  const { target } = input;
  const units = [
    GO_ENV_UNIT,
    chronyUnit(target.vm.services.enable, target.family),
    ...target.vm.services.enable.map(unitName),
    ...target.vm.services.disable.map(unitName),
    DRIFT_TIMER,
  ];
  return fillTemplate(
    read('vm/bake-drift.sh.tmpl'),
    {
      target: target.name,
      settings: shellSettings({
        TARGET: target.name,
        GOROOT,
        BUILD_USER: target.user.name,
        BUILD_HOME: userHome(target.user),
        DRIFT_FILES: [
          '/etc/profile.d/go-env.sh',
          `${GOROOT}/go.env`,
          DEFAULT_GO_ENV_PATH,
          GO_ENV_UNIT_PATH,
          `${UNIT_DIR}/${DRIFT_SERVICE}`,
          `${UNIT_DIR}/${DRIFT_TIMER}`,
          DRIFT_SCRIPT_PATH,
        ],
        DRIFT_UNITS: [...new Set(units)],
        EC2_ENDPOINT: input.ec2Endpoint ?? '',
        TAG_DRIFT: TAG.drift,
        TAG_DRIFT_DETAIL: TAG.driftDetail,
        BASELINE_BEGIN,
        BASELINE_END,
      }),
      library: LIBRARY.map((name) => read(`vm/lib/${name}`).trimEnd()).join('\n\n'),
    },
    'vm/bake-drift.sh.tmpl',
  );
}

/** The script, its unit and its timer, as the provisioning script writes them. */
export function driftFiles(input: DriftScriptInput, root?: string): ProvisionFile[] {
  const read = (path: string) => readImageFile(path, root).toString('utf8');
  return [
    { path: DRIFT_SCRIPT_PATH, mode: '0755', content: renderDriftScript(input, root) },
    {
      path: `${UNIT_DIR}/${DRIFT_SERVICE}`,
      mode: '0644',
      content: fillTemplate(
        read('vm/bake-drift.service.tmpl'),
        { execStart: systemdCommandLine([DRIFT_SCRIPT_PATH, 'check']) },
        'vm/bake-drift.service.tmpl',
      ),
    },
    { path: `${UNIT_DIR}/${DRIFT_TIMER}`, mode: '0644', content: read('vm/bake-drift.timer.tmpl') },
  ];
}
