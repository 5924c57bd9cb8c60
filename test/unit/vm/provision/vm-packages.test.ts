import { vmPackages } from '../../../../bake/vm/provision/vm-packages';
import { handMadeTarget } from '../../render/render-fixtures';

describe('vmPackages', () => {
  test("the recipe's packages, the family's, and what the host's own steps use, once each", () => {
    expect(vmPackages(handMadeTarget({ packages: ['git', 'curl'] }))).toEqual([
      'git',
      'curl',
      'ca-certificates',
      'tzdata',
      'chrony',
      'openssl',
    ]);
  });

  test('SELinux tools only where a rhel recipe manages SELinux', () => {
    const vm = handMadeTarget().vm;
    const rhel = (selinux: 'enforcing' | 'none') =>
      vmPackages(handMadeTarget({ family: 'rhel', packages: [], vm: { ...vm, selinux } }));
    expect(rhel('enforcing')).toEqual(expect.arrayContaining(['policycoreutils', 'selinux-policy-targeted']));
    expect(rhel('none')).not.toContain('policycoreutils');
    expect(vmPackages(handMadeTarget({ vm: { ...vm, selinux: 'enforcing' } }))).not.toContain('policycoreutils');
  });

  test('a package that yum or dnf would take for an option is refused', () => {
    expect(() => vmPackages(handMadeTarget({ packages: ['--installroot=/'] }))).toThrow(/starts with "-"/);
  });
});
