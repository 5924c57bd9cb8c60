import { vmGoEnvServiceCheck } from '../../../../bake/vm/checks/vm-go-env-service';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, units, vm } from './vm-check-fixtures';

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
