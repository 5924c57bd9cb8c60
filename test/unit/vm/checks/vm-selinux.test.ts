import { vmSelinuxCheck } from '../../../../bake/vm/checks/vm-selinux';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, vm } from './vm-check-fixtures';

describe('vm.selinux', () => {
  const config = (mode: string) => Buffer.from(`# SELinux config\nSELINUX=${mode}\nSELINUXTYPE=targeted\n`);

  it('passes enforcing when configured and in effect', async () => {
    const driver = new FakeDriver().on('getenforce', { stdout: 'Enforcing\n' });
    driver.files.set('/etc/selinux/config', config('enforcing'));
    expect(await run(vmSelinuxCheck, driver, vm({ selinux: 'enforcing' }, 'rhel'))).toMatchObject({
      status: 'pass',
      reason: 'SELINUX=enforcing',
    });
  });

  it('accepts enforcing from the next boot when SELinux is off now and a relabel is pending', async () => {
    const driver = new FakeDriver().on('getenforce', { stdout: 'Disabled\nrelabel-pending\n' });
    driver.files.set('/etc/selinux/config', config('enforcing'));
    expect(await run(vmSelinuxCheck, driver, vm({ selinux: 'enforcing' }, 'rhel'))).toMatchObject({
      status: 'pass',
      reason: 'SELINUX=enforcing from the next boot (relabel pending)',
    });
  });

  it('fails permissive where the recipe says enforcing, in the file or in effect', async () => {
    const inFile = new FakeDriver().on('getenforce', { stdout: 'Permissive\n' });
    inFile.files.set('/etc/selinux/config', config('permissive'));
    expect((await run(vmSelinuxCheck, inFile, vm({ selinux: 'enforcing' }, 'rhel'))).reason).toBe(
      '/etc/selinux/config says SELINUX=permissive, the recipe enforcing (and 1 more)',
    );
    const inEffect = new FakeDriver().on('getenforce', { stdout: 'Permissive\n' });
    inEffect.files.set('/etc/selinux/config', config('enforcing'));
    expect((await run(vmSelinuxCheck, inEffect, vm({ selinux: 'enforcing' }, 'rhel'))).reason).toBe(
      'SELinux is Permissive now, the recipe says enforcing',
    );
  });

  it('checks nothing where the recipe leaves SELinux alone', async () => {
    const driver = new FakeDriver();
    expect(await run(vmSelinuxCheck, driver, vm())).toMatchObject({
      status: 'pass',
      reason: 'not managed by the recipe',
    });
    expect(driver.calls).toEqual([]);
  });
});
