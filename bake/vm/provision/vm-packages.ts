import { assertOperand } from '../../common/command-operand';
import type { Target } from '../../recipe/types';
import { RUNTIME_PACKAGES } from '../../plan/image-packages';

/**
 * What a VM template installs: the recipe's packages, what every image of the family gets,
 * and what the host's own steps use: chrony (time sync, seeds), curl and openssl (the Go
 * download and the signed verdict call), SELinux tools where the recipe manages SELinux.
 */
export function vmPackages(target: Target): string[] {
  const selinux =
    target.vm.selinux !== 'none' && target.family === 'rhel' ? ['policycoreutils', 'selinux-policy-targeted'] : [];
  // The script passes them to yum and dnf too, which are not relied on to honour `--`.
  return [
    ...new Set([...target.packages, ...RUNTIME_PACKAGES[target.family], 'chrony', 'curl', 'openssl', ...selinux]),
  ].map((p) => assertOperand('package', p));
}
