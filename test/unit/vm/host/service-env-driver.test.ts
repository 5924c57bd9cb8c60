import { renderEnvironmentFile } from '../../../../bake/vm/provision/environment-file';
import { serviceEnvDriver } from '../../../../bake/vm/host/service-env-driver';
import { FakeDriver } from '../../readiness/fake-driver';

describe('serviceEnvDriver', () => {
  it('gives commands that are not login shells what services get: /etc/default/go-env', async () => {
    const host = new FakeDriver().on('go', (_argv, opts) => ({ stdout: JSON.stringify(opts) }));
    host.files.set(
      '/etc/default/go-env',
      Buffer.from(renderEnvironmentFile('{{values}}\n', { GOROOT: '/usr/local/go', GOFLAGS: '-mod=readonly -x' })),
    );
    const driver = await serviceEnvDriver(host);
    await driver.exec(['go', 'version'], { user: 'gobuild', env: { HOME: '/home/gobuild' } });
    await driver.exec(['go', 'env'], { loginShell: true, env: { HOME: '/home/gobuild' } });
    expect(host.calls.map((c) => c.opts)).toEqual([
      { user: 'gobuild', env: { GOROOT: '/usr/local/go', GOFLAGS: '-mod=readonly -x', HOME: '/home/gobuild' } },
      { loginShell: true, env: { HOME: '/home/gobuild' } },
    ]);
  });

  it('adds nothing on a host without the file (the checks then say what is missing)', async () => {
    const host = new FakeDriver().on('true', {});
    await (await serviceEnvDriver(host)).exec(['true']);
    expect(host.calls[0].opts).toEqual({ env: {} });
  });
});
