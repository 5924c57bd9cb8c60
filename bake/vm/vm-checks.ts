import { IMAGE_CHECKS } from '../readiness/default-checks';
import type { Check } from '../readiness/types';
import { vmChronyCheck } from './checks/vm-chrony';
import { vmDefaultGoEnvCheck } from './checks/vm-default-go-env';
import { vmGoEnvServiceCheck } from './checks/vm-go-env-service';
import { vmSelinuxCheck } from './checks/vm-selinux';
import { vmServicesCheck } from './checks/vm-services';
import { vmUnitFileCheck } from './checks/vm-unit-file';

/** What only a VM template is checked for: its systemd units, environment file, clock and SELinux. */
export const VM_CHECKS: readonly Check[] = [
  vmUnitFileCheck,
  vmGoEnvServiceCheck,
  vmDefaultGoEnvCheck,
  vmChronyCheck,
  vmServicesCheck,
  vmSelinuxCheck,
];

/** Every check a VM template may run, in order: what it shares with images first, then its own. */
export const VM_SUITE: readonly Check[] = [...IMAGE_CHECKS, ...VM_CHECKS];
