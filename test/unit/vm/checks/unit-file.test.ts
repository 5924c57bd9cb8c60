import { goEnvUnit } from '../../../../bake/vm/provision/provision-files';
import { goEnvUnitProblems, parseUnitFile, unitValues } from '../../../../bake/vm/checks/unit-file';
import { chronyUnit, unitName } from '../../../../bake/vm/provision/unit-names';

const ENV_FILE = '/etc/default/go-env';

describe('go-env.service', () => {
  it(
    'as bake renders it: a oneshot that stays active, ' +
      'carries /etc/default/go-env and starts with multi-user.target',
    () => {
      const { unit, problems } = parseUnitFile(goEnvUnit().content);
      expect(problems).toEqual([]);
      expect(goEnvUnitProblems(unit, ENV_FILE)).toEqual([]);
      expect(unitValues(unit, 'Service', 'ExecStart')).toEqual(['/usr/local/go/bin/go version']);
    },
  );

  it.each([
    ['Type=oneshot', 'Type=simple', 'Type=simple, expected oneshot'],
    ['RemainAfterExit=yes', 'RemainAfterExit=no', 'RemainAfterExit is not yes'],
    [`EnvironmentFile=-${ENV_FILE}`, 'EnvironmentFile=/etc/other', `no EnvironmentFile=-${ENV_FILE}`],
    ['ExecStart=/usr/local/go/bin/go version', 'ExecStart=go version', 'ExecStart is missing or not an absolute path'],
    [
      'WantedBy=multi-user.target',
      'WantedBy=graphical.target',
      'not WantedBy=multi-user.target, so enabling it would not start it at boot',
    ],
  ])('finds %s changed to the wrong value', (good, bad, problem) => {
    const line = new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}$`, 'm');
    expect(goEnvUnit().content).toMatch(line);
    const text = goEnvUnit().content.replace(line, bad);
    expect(goEnvUnitProblems(parseUnitFile(text).unit, ENV_FILE)).toEqual([problem]);
  });

  it('reads what is not a unit as problems, not as settings', () => {
    const { problems } = parseUnitFile('Type=oneshot\n[Service]\nExecStart=/bin/true \\\n  --more\n');
    expect(problems).toEqual([
      'line 1 is not an assignment in a section: Type=oneshot',
      'line 3 is not an assignment in a section: ExecStart=/bin/true \\',
      'line 4 is not an assignment in a section:   --more',
    ]);
  });

  it('treats an empty assignment as a reset, as systemd does', () => {
    const { unit } = parseUnitFile('[Service]\nEnvironmentFile=/a\nEnvironmentFile=\nEnvironmentFile=/b\n');
    expect(unitValues(unit, 'Service', 'EnvironmentFile')).toEqual(['/b']);
  });
});

describe('unit names', () => {
  it('a bare name is a service; other unit types stay', () => {
    expect(unitName('chrony')).toBe('chrony.service');
    expect(unitName('rpcbind.socket')).toBe('rpcbind.socket');
  });

  it("chrony's unit: the one the recipe enables, else the family's name", () => {
    expect(chronyUnit(['chrony'], 'debian')).toBe('chrony.service');
    expect(chronyUnit(['chronyd'], 'rhel')).toBe('chronyd.service');
    expect(chronyUnit([], 'rhel')).toBe('chronyd.service');
    expect(chronyUnit([], 'debian')).toBe('chrony.service');
  });
});
