import { IMAGE_CHECKS } from '../../readiness/default-checks';
import type { Check } from '../../readiness/types';
import { vmChronyCheck } from './vm-chrony';
import { vmDefaultGoEnvCheck } from './vm-default-go-env';
import { vmGoEnvServiceCheck } from './vm-go-env-service';
import { vmSelinuxCheck } from './vm-selinux';
import { vmServicesCheck } from './vm-services';
import { vmUnitFileCheck } from './vm-unit-file';

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
