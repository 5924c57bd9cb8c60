import { vmDefaultGoEnvCheck } from '../../../../bake/vm/checks/vm-default-go-env';
import { renderEnvironmentFile } from '../../../../bake/vm/provision/environment-file';
import { FakeDriver } from '../../readiness/fake-driver';
import { run, vm } from './vm-check-fixtures';

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
