import { Command } from 'commander';
import { addBuildkitOptions, buildkitRequest, type BuildkitFlags } from '../../../bake/cli/buildkit-options';
import { ExitCode } from '../../../bake/common/errors';

function parse(args: string[]): BuildkitFlags {
  const command = addBuildkitOptions(new Command('build').exitOverride());
  command.parse(args, { from: 'user' });
  return command.opts<BuildkitFlags>();
}

describe('--cache-to, --cache-from, --provenance', () => {
  test('none given: no BuildKit request at all (the plain build path)', () => {
    expect(buildkitRequest(parse([]))).toBeUndefined();
  });

  test('repositories as given (a trailing slash dropped), --cache-from repeatable', () => {
    const flags = parse([
      '--cache-to',
      'reg.example:5000/team/cache/',
      '--cache-from',
      'reg.example:5000/team/cache',
      '--cache-from',
      '10.0.0.1:5000/other',
      '--provenance',
    ]);
    expect(buildkitRequest(flags)).toEqual({
      cacheTo: 'reg.example:5000/team/cache',
      cacheFrom: ['reg.example:5000/team/cache', '10.0.0.1:5000/other'],
      provenance: true,
    });
    expect(buildkitRequest(parse(['--provenance']))).toEqual({ provenance: true });
  });

  test.each([
    ['--cache-to', 'reg.example/cache:v1', 'names a tag or digest'],
    ['--cache-from', 'reg.example/cache@sha256:abc', 'names a tag or digest'],
    ['--cache-to', 'cache', 'is not a registry repository'],
    ['--cache-to', 'user:pw@reg.example/cache', 'the URL carries credentials'],
  ])('%s %s is refused (usage, exit 2)', (flag, value, problem) => {
    expect(() => parse([flag, value])).toThrow(
      expect.objectContaining({ exitCode: ExitCode.Usage, message: expect.stringContaining(problem) }),
    );
  });
});
