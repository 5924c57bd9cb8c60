import { assertOperand } from '../../../bake/common/command-operand';
import { ExitCode } from '../../../bake/common/errors';

describe('assertOperand', () => {
  test('returns a value no command can mistake for an option', () => {
    expect(assertOperand('package', 'git')).toBe('git');
    expect(assertOperand('package', 'golang-1.27-go=1.27.4-1~bpo13+1')).toBe('golang-1.27-go=1.27.4-1~bpo13+1');
    expect(assertOperand('tool', 'golang.org/x/tools/cmd/goimports@v0.30.0')).toBe(
      'golang.org/x/tools/cmd/goimports@v0.30.0',
    );
  });

  test.each([
    ['-y', 'starts with "-", so a command would take it for an option'],
    ['--installroot=/', 'starts with "-", so a command would take it for an option'],
    ['', 'is empty'],
  ])('refuses %j (recipe error)', (value, why) => {
    expect(() => assertOperand('package', value)).toThrow(
      expect.objectContaining({ exitCode: ExitCode.InvalidRecipe, message: `package ${JSON.stringify(value)} ${why}` }),
    );
  });

  test('refuses a line break, which would start another command', () => {
    expect(() => assertOperand('package', 'git\nrm -rf /')).toThrow(/line break or control character/);
  });
});
