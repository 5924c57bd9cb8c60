import { ExitCode } from '../../../../bake/common/errors';
import { chronyUnit, unitName } from '../../../../bake/vm/provision/unit-names';

describe('unitName', () => {
  test('a bare name is a service; a name with a unit type stays as it is', () => {
    expect(unitName('chrony')).toBe('chrony.service');
    expect(unitName('rpcbind.socket')).toBe('rpcbind.socket');
    expect(unitName('getty@tty1.service')).toBe('getty@tty1.service');
    expect(unitName('-.mount')).toBe('-.mount');
  });

  test.each(['../etc/passwd', 'a b', 'x;y', '.hidden', 'a/b.service', ''])('refuses %j', (name) => {
    expect(() => unitName(name)).toThrow(expect.objectContaining({ exitCode: ExitCode.InvalidRecipe }));
  });

  test('at most 255 characters', () => {
    expect(unitName('a'.repeat(247))).toHaveLength(255);
    expect(() => unitName('a'.repeat(248))).toThrow(/is not a systemd unit name/);
  });
});

describe('chronyUnit', () => {
  test("the chrony unit the recipe enables, else the family's name for it", () => {
    expect(chronyUnit(['chronyd'], 'debian')).toBe('chronyd.service');
    expect(chronyUnit(['ssh', 'chrony.service'], 'rhel')).toBe('chrony.service');
    expect(chronyUnit([], 'debian')).toBe('chrony.service');
    expect(chronyUnit(['ntp'], 'rhel')).toBe('chronyd.service');
  });
});
