import { vmChronyCheck } from '../../../../bake/vm/checks/vm-chrony';
import { vmDefaultGoEnvCheck } from '../../../../bake/vm/checks/vm-default-go-env';
import { vmGoEnvServiceCheck } from '../../../../bake/vm/checks/vm-go-env-service';
import { vmSelinuxCheck } from '../../../../bake/vm/checks/vm-selinux';
import { vmServicesCheck } from '../../../../bake/vm/checks/vm-services';
import { vmUnitFileCheck } from '../../../../bake/vm/checks/vm-unit-file';
import { defaultChecks } from '../../../../bake/readiness/default-checks';
import { silentLogger } from '../../../../bake/common/log';
import type { ReadinessExpectations } from '../../../../bake/readiness/types';
import type { Target } from '../../../../bake/recipe/types';
import { renderEnvironmentFile } from '../../../../bake/vm/provision/environment-file';
import { goEnvUnit } from '../../../../bake/vm/provision/provision-files';
import { VM_SUITE } from '../../../../bake/vm/checks/vm-checks';
import { expectations, FakeDriver } from '../../readiness/fake-driver';

const vm = (overrides: Partial<Target['vm']> = {}, family: Target['family'] = 'debian'): ReadinessExpectations => {
  const base = expectations({ kind: 'vm' });
  // The assertion is needed: without it the literals widen (architecture: string).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const target = {
    ...base.target,
    family,
    vm: {
      sourceAmi: { name: 'x', owners: ['self'], architecture: 'x86_64' },
      instanceType: 't3.medium',
      rootVolumeGiB: 16,
      services: { enable: ['chrony'], disable: ['postfix', 'rpcbind'] },
      selinux: 'none',
      ...overrides,
    },
  } as Target;
  return { ...base, target };
};

/** Answers the unit-state script with "<unit> <installed> <enabled> <active>" per unit. */
function units(driver: FakeDriver, states: Record<string, string>): FakeDriver {
  return driver.on(/enabled\(\)/, (argv) => ({
    stdout: argv
      .slice(4)
      .map((u) => `${u} ${states[u] ?? 'no no -'}\n`)
      .join(''),
  }));
}

const run = (check: typeof vmChronyCheck, driver: FakeDriver, expect: ReadinessExpectations) =>
  check.run(driver, expect, silentLogger);

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

  describe('vm.unit-file', () => {
    it('passes the unit bake writes; systemd-analyze is only asked where systemd runs', async () => {
      const driver = new FakeDriver().on('systemd-analyze', { exitCode: 101 });
      driver.files.set('/etc/systemd/system/go-env.service', Buffer.from(goEnvUnit().content));
      const out = await run(vmUnitFileCheck, driver, vm());
      expect(out).toMatchObject({ status: 'pass', reason: 'a valid go-env.service' });
    });

    it('fails a unit that is missing, or one systemd-analyze rejects', async () => {
      expect((await run(vmUnitFileCheck, new FakeDriver(), vm())).reason).toBe(
        '/etc/systemd/system/go-env.service does not exist',
      );
      const driver = new FakeDriver().on('systemd-analyze', { exitCode: 1, stderr: 'Unknown key name' });
      driver.files.set(
        '/etc/systemd/system/go-env.service',
        Buffer.from(goEnvUnit().content.replace('Type=oneshot', 'Type=simple')),
      );
      const out = await run(vmUnitFileCheck, driver, vm());
      expect(out.status).toBe('fail');
      expect(out.reason).toBe('Type=simple, expected oneshot (and 1 more)');
    });
  });

  describe('vm.go-env-service', () => {
    it('passes when enabled (and active where systemd runs)', async () => {
      expect(
        await run(vmGoEnvServiceCheck, units(new FakeDriver(), { 'go-env.service': 'yes yes -' }), vm()),
      ).toMatchObject({ status: 'pass', reason: 'go-env.service enabled' });
      expect(
        await run(vmGoEnvServiceCheck, units(new FakeDriver(), { 'go-env.service': 'yes yes yes' }), vm()),
      ).toMatchObject({ status: 'pass', reason: 'go-env.service enabled and active' });
    });

    it('fails when not enabled, not installed or not active', async () => {
      expect(
        (await run(vmGoEnvServiceCheck, units(new FakeDriver(), { 'go-env.service': 'yes no -' }), vm())).reason,
      ).toBe('go-env.service is not enabled');
      expect((await run(vmGoEnvServiceCheck, units(new FakeDriver(), {}), vm())).reason).toBe(
        'go-env.service is not installed',
      );
      expect(
        (await run(vmGoEnvServiceCheck, units(new FakeDriver(), { 'go-env.service': 'yes yes no' }), vm())).reason,
      ).toBe('go-env.service is not active');
    });
  });

  describe('vm.chrony', () => {
    it("checks the family's chrony unit: chronyd on rhel", async () => {
      const driver = units(new FakeDriver().on('command -v chronyd', { stdout: '/usr/sbin/chronyd\n' }), {
        'chronyd.service': 'yes yes -',
      });
      expect(
        await run(vmChronyCheck, driver, vm({ services: { enable: ['chronyd'], disable: [] } }, 'rhel')),
      ).toMatchObject({ status: 'pass', reason: 'chronyd.service enabled' });
    });

    it('fails when chrony is not installed', async () => {
      const out = await run(vmChronyCheck, units(new FakeDriver().on('command -v chronyd', { exitCode: 1 }), {}), vm());
      expect(out).toMatchObject({ status: 'fail', reason: 'chronyd is not installed (and 1 more)' });
    });
  });

  describe('vm.services', () => {
    it("passes when the recipe's services are enabled and the unneeded ones are not (or not installed)", async () => {
      const driver = units(new FakeDriver(), { 'chrony.service': 'yes yes -', 'postfix.service': 'yes no -' });
      expect(await run(vmServicesCheck, driver, vm())).toMatchObject({
        status: 'pass',
        reason: '1 enabled, 2 not enabled',
      });
    });

    it('fails on an unneeded service left enabled or running', async () => {
      const driver = units(new FakeDriver(), {
        'chrony.service': 'yes yes yes',
        'postfix.service': 'yes yes yes',
        'rpcbind.service': 'yes no yes',
      });
      const out = await run(vmServicesCheck, driver, vm());
      expect(out.status).toBe('fail');
      expect(out.reason).toBe('postfix.service is enabled, and the recipe disables it (and 2 more)');
    });
  });

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

  describe('vm.default-go-env', () => {
    const file = (env: Record<string, string>) => Buffer.from(renderEnvironmentFile('# bake\n{{values}}\n', env));

    it('passes the planned environment, root-owned and not writable by others', async () => {
      const expect_ = vm();
      const driver = new FakeDriver().on('stat', { stdout: '0 644\n' });
      driver.files.set('/etc/default/go-env', file(expect_.env));
      expect(await run(vmDefaultGoEnvCheck, driver, expect_)).toMatchObject({ status: 'pass' });
    });

    it('fails a changed value, an extra variable, or a file others may write', async () => {
      const expect_ = vm();
      const driver = new FakeDriver().on('stat', { stdout: '0 666\n' });
      driver.files.set('/etc/default/go-env', file({ ...expect_.env, GOSUMDB: 'off', GOINSECURE: '*' }));
      const out = await run(vmDefaultGoEnvCheck, driver, expect_);
      expect(out.status).toBe('fail');
      expect(out.reason).toBe('GOSUMDB is "off" in /etc/default/go-env; expected "sum.golang.org" (and 2 more)');
    });
  });
});
