import { Command } from 'commander';
import {
  addGlobalOptions,
  collect,
  parseGoSources,
  parseList,
  type GlobalOptions,
} from '../../../bake/cli/global-options';
import { ExitCode } from '../../../bake/common/errors';

describe('global options', () => {
  const parse = (args: string[]) => {
    const program = addGlobalOptions(new Command('bake').exitOverride());
    program.parse(args, { from: 'user' });
    return program.opts<GlobalOptions>();
  };

  test('defaults', () => {
    expect(parse([])).toEqual({ recipes: 'recipes', trustKey: [], debug: false, quiet: false });
  });

  test('--go-source as a list, --trust-key repeatable, -q', () => {
    expect(
      parse(['--go-source', 'debian, mirror', '--trust-key', 'a.asc', '--trust-key', 'b.asc', '-q']),
    ).toMatchObject({
      goSource: ['debian', 'mirror'],
      trustKey: ['a.asc', 'b.asc'],
      quiet: true,
    });
  });

  test('a mirror URL with credentials is refused where it enters', () => {
    expect(() => parse(['--go-mirror', 'https://u:pw@m.example/go'])).toThrow(/the URL carries credentials/);
  });
});

describe('parseGoSources', () => {
  test('known sources, in the order given; unknown or none refused (usage)', () => {
    expect(parseGoSources('official,debian')).toEqual(['official', 'debian']);
    expect(() => parseGoSources('official,gopher')).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.Usage,
        message: '--go-source: unknown source "gopher" (expected official, mirror, debian)',
      }),
    );
    expect(() => parseGoSources(' , ')).toThrow('--go-source: list at least one source');
  });
});

describe('parseList and collect', () => {
  test('comma lists trimmed, blanks dropped; repeated options collected in order', () => {
    expect(parseList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(collect('b', collect('a', []))).toEqual(['a', 'b']);
  });
});
