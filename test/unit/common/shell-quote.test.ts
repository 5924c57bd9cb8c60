import { spawnSync } from 'node:child_process';
import { shellQuote } from '../../../bake/common/shell-quote';

/** What sh makes of the quoted word: the test that matters. */
const throughSh = (word: string) => spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' }).stdout;

describe('shellQuote', () => {
  test('leaves words with nothing special bare', () => {
    expect(shellQuote('/usr/local/go')).toBe('/usr/local/go');
    expect(shellQuote('GOFLAGS=-mod=readonly')).toBe('GOFLAGS=-mod=readonly');
    expect(shellQuote('https://proxy.golang.org,direct')).toBe('https://proxy.golang.org,direct');
  });

  test('single-quotes anything else, a single quote included', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  test.each(['$(id)', '`id`', '$HOME', 'a\'b"c', 'x; rm -rf /', '*', '~', 'a\\b', '#x', '&', '|', '>f', '!x', ''])(
    'sh reads %j back as exactly that text',
    (value) => {
      expect(throughSh(shellQuote(value))).toBe(value);
    },
  );
});
