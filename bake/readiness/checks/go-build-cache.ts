import { checkUser } from '../build-user';
import { describeCommand, execOutput, exitSummary, outcome } from '../evidence';
import type { Check } from '../types';

/**
 * The shipped standard-library cache is valid: building its packages as the build user, with
 * the image's own environment (GOFLAGS, CGO_ENABLED, GOCACHE), compiles nothing. `go build -v`
 * names each package it compiles; a package found in the cache is not named.
 */
export const goBuildCacheCheck: Check = {
  id: 'go.build-cache',
  description: "the toolchain image's build cache holds its standard-library packages: a build compiles none of them",
  appliesTo: ['toolchain'],
  async run(driver, expect) {
    const cache = expect.warmCache;
    if (!cache) return outcome([], [], 'no standard-library cache shipped (go.warmCache: false)');
    const opts = { user: await checkUser(driver, expect.user.name) };
    const argv = ['go', 'build', '-v', '--', ...cache.packages];
    const result = await driver.exec(argv, opts);
    const compiled = result.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('go: '));
    const problems: string[] = [];
    if (result.exitCode !== 0) problems.push(`the build failed (${exitSummary(result)})`);
    else if (compiled.length)
      problems.push(
        `${compiled.length} package(s) were compiled, not found in the cache: ${compiled.slice(0, 5).join(', ')}` +
          (compiled.length > 5 ? ', ...' : ''),
      );
    return outcome(
      problems,
      [
        {
          command: describeCommand(argv, opts),
          output: execOutput(result),
          expected: `exit 0 and no package compiled (${cache.packages.length} packages and their dependencies cached)`,
        },
      ],
      `${cache.packages.length} packages and their dependencies found in ${expect.env.GOCACHE ?? 'GOCACHE'}`,
    );
  },
};
