import { dockerfileQuote } from '../../../bake/common/dockerfile-quote';
import { directoriesBelow } from '../../../bake/render/run-steps';
import { fillTemplate } from '../../../bake/render/template';

describe('fillTemplate', () => {
  it('fills every placeholder, inserting values as they are', () => {
    expect(fillTemplate('a {{x}} b {{y}} {{x}}', { x: '1', y: '{{z}}' }, 't')).toBe('a 1 b {{z}} 1');
  });
  it('throws on a placeholder without a value', () => {
    expect(() => fillTemplate('{{x}} {{y}}', { x: '1' }, 't')).toThrow('template t: no value for {{y}}');
  });
  it('throws on a value without a placeholder', () => {
    expect(() => fillTemplate('{{x}}', { x: '1', extra: '2' }, 't')).toThrow('template t: unused value(s) extra');
  });
  it('throws on a malformed placeholder', () => {
    expect(() => fillTemplate('{{x}} {{ y }}', { x: '1' }, 't')).toThrow(/malformed placeholder/);
  });
});

describe('dockerfileQuote', () => {
  it('escapes exactly what BuildKit interprets inside double quotes', () => {
    expect(dockerfileQuote(`a"b\\c$d'e\`f`)).toBe(`"a\\"b\\\\c\\$d'e\`f"`);
    expect(dockerfileQuote('')).toBe('""');
  });
  it('refuses control characters', () => {
    expect(() => dockerfileQuote('a\tb')).toThrow(/control character/);
  });
});

describe('directoriesBelow', () => {
  it('lists every directory from HOME down, parents first, once', () => {
    expect(
      directoriesBelow('/home/u', [
        '/home/u/go',
        '/home/u/go/pkg/mod',
        '/home/u/.cache/go-build',
        '/var/cache/x',
        '/home/u',
      ]),
    ).toEqual(['/home/u/go', '/home/u/go/pkg', '/home/u/go/pkg/mod', '/home/u/.cache', '/home/u/.cache/go-build']);
  });
});
