import { vmChronyCheck } from '../../../../bake/vm/checks/vm-chrony';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, units, vm } from './vm-check-fixtures';

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
