import { defaultChecks } from '../../../../bake/readiness/default-checks';
import { VM_SUITE } from '../../../../bake/vm/checks/vm-checks';

describe('VM checks', () => {
  it('apply to VM templates only, after the checks VMs share with toolchain images', () => {
    expect(defaultChecks(VM_SUITE, 'vm').map((c) => c.id)).toEqual([
      'go.version',
      'go.env',
      'go.login-shell',
      'goroot.integrity',
      'binary.static',
      'tls.ca-bundle',
      'vm.unit-file',
      'vm.go-env-service',
      'vm.default-go-env',
      'vm.chrony',
      'vm.services',
      'vm.selinux',
    ]);
    expect(defaultChecks(VM_SUITE, 'toolchain').filter((c) => c.id.startsWith('vm.'))).toEqual([]);
  });
});
