import { vmUnitFileCheck } from '../../../../bake/vm/checks/vm-unit-file';
import { goEnvUnit } from '../../../../bake/vm/provision/provision-files';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, vm } from './vm-check-fixtures';

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
