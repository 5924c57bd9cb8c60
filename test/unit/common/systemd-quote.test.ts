import { ExitCode } from '../../../bake/common/errors';
import { systemdCommandLine, systemdPath } from '../../../bake/common/systemd-quote';

describe('systemdPath', () => {
  test('an absolute path, with % doubled (systemd expands specifiers there)', () => {
    expect(systemdPath('EnvironmentFile', '/etc/default/go-env')).toBe('/etc/default/go-env');
    expect(systemdPath('WorkingDirectory', '/srv/100%/x')).toBe('/srv/100%%/x');
  });

  test.each(['relative/path', ' /leading-space', '/trailing-space ', '/ends-with\\', ''])(
    'refuses %j: nothing can protect it in a unit file',
    (path) => {
      expect(() => systemdPath('EnvironmentFile', path)).toThrow(
        expect.objectContaining({ exitCode: ExitCode.InvalidRecipe }),
      );
    },
  );

  test('refuses a line break', () => {
    expect(() => systemdPath('EnvironmentFile', '/etc/x\nExecStart=/bin/evil')).toThrow(/line break/);
  });
});

describe('systemdCommandLine', () => {
  test('bare words stay bare', () => {
    expect(systemdCommandLine(['/usr/local/go/bin/go', 'version'])).toBe('/usr/local/go/bin/go version');
  });

  test('other words are double-quoted, with \\ and " escaped, % doubled, and $ doubled in arguments', () => {
    expect(systemdCommandLine(['/bin/sh', '-c', 'echo "$HOME" 100% \\n'])).toBe(
      '/bin/sh -c "echo \\"$$HOME\\" 100%% \\\\n"',
    );
    // A lone ";" would separate commands: quoted, it is an argument.
    expect(systemdCommandLine(['/bin/echo', ';'])).toBe('/bin/echo ";"');
  });

  test('the executable: % doubled but $ left as it is (no variables are expanded there)', () => {
    expect(systemdCommandLine(['/opt/a$b/100%/run'])).toBe('"/opt/a$b/100%%/run"');
  });

  test.each([
    [[], 'is not an absolute path'],
    [['go', 'version'], 'is not an absolute path'],
    [['-/bin/true'], 'is not an absolute path'],
    [['/bin/a"b'], 'systemd refuses in an executable'],
    [["/bin/a'b"], 'systemd refuses in an executable'],
    [['/bin/a\\b'], 'systemd refuses in an executable'],
  ])('refuses the executable of %j', (argv, why) => {
    expect(() => systemdCommandLine(argv)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.InvalidRecipe, message: expect.stringContaining(why) }),
    );
  });

  test('refuses an argument with a line break', () => {
    expect(() => systemdCommandLine(['/bin/true', 'a\nb'])).toThrow('unit command word 1');
  });
});
