import { environmentFiles, goEnvUnit, renderGoEnvUnit } from '../../../../bake/vm/provision/provision-files';

const TEMPLATE = 'EnvironmentFile=-{{environmentFile}}\nExecStart={{execStart}}\n';

describe('renderGoEnvUnit', () => {
  test('the environment file as a path setting and go as a command line, quoted the way systemd reads them', () => {
    expect(renderGoEnvUnit(TEMPLATE, { environmentFile: '/etc/default/go-env', goroot: '/usr/local/go' })).toBe(
      'EnvironmentFile=-/etc/default/go-env\nExecStart=/usr/local/go/bin/go version\n',
    );
    expect(renderGoEnvUnit(TEMPLATE, { environmentFile: '/etc/100%/go-env', goroot: '/opt/my go' })).toBe(
      'EnvironmentFile=-/etc/100%%/go-env\nExecStart="/opt/my go/bin/go" version\n',
    );
  });

  test('refuses values no unit file can carry', () => {
    expect(() => renderGoEnvUnit(TEMPLATE, { environmentFile: 'relative', goroot: '/usr/local/go' })).toThrow(
      /EnvironmentFile "relative" is not an absolute path/,
    );
    expect(() => renderGoEnvUnit(TEMPLATE, { environmentFile: '/e', goroot: '/opt/a"b' })).toThrow(
      /quote or backslash/,
    );
  });
});

describe('the files of a VM template', () => {
  const env = { GOROOT: '/usr/local/go', GOPROXY: 'https://proxy.golang.org,direct', GOFLAGS: '-mod=readonly' };

  test('the profile script, /etc/default/go-env and go.env: the same values as the images', () => {
    const files = environmentFiles(env);
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ['/etc/profile.d/go-env.sh', '0644'],
      ['/etc/default/go-env', '0644'],
      ['/usr/local/go/go.env', '0644'],
    ]);
    for (const file of files) expect(file.content).toContain('https://proxy.golang.org,direct');
  });

  test('go-env.service at its unit path, oneshot and carrying the environment file', () => {
    const unit = goEnvUnit();
    expect(unit.path).toBe('/etc/systemd/system/go-env.service');
    expect(unit.content).toContain('Type=oneshot\nRemainAfterExit=yes\nEnvironmentFile=-/etc/default/go-env\n');
    expect(unit.content).toContain('ExecStart=/usr/local/go/bin/go version\n');
  });
});
