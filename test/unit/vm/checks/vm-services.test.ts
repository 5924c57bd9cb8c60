import { vmServicesCheck } from '../../../../bake/vm/checks/vm-services';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, units, vm } from './vm-check-fixtures';

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
