import { aptEnv, lastErrorLine } from '../../../../bake/golang/debian/apt-command';

const result = (stderr: string, stdout = '', code = 100) => ({ code, stdout, stderr });

describe('lastErrorLine', () => {
  test("apt's first E: line, without its prefix", () => {
    expect(
      lastErrorLine(
        result('W: Some index files failed to download\nE: Unable to locate package golang-1.99-go\nE: second error\n'),
      ),
    ).toBe('Unable to locate package golang-1.99-go');
  });

  test('Err: lines count as errors too', () => {
    expect(lastErrorLine(result('Err:1 http://deb.example bookworm InRelease\n  Could not resolve host\n'))).toBe(
      'Err:1 http://deb.example bookworm InRelease',
    );
  });

  test('without an error line: the last line of stderr then stdout', () => {
    expect(lastErrorLine(result('warning one\n', 'last words\n\n'))).toBe('last words');
  });

  test('without any output: the exit code', () => {
    expect(lastErrorLine(result('', '', 2))).toBe('exit code 2');
  });
});

describe('aptEnv', () => {
  test('English messages (they are parsed) and no questions', () => {
    expect(aptEnv()).toMatchObject({ LC_ALL: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' });
  });
});
