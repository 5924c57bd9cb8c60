import { compilePattern } from '../../../../bake/common/text-pattern';
import { describeMatch, MATCH_TIMEOUT_MS, textProblems } from '../../../../bake/readiness/custom/text-match';

const output = 'git version 2.39.5\n';

describe('text matchers: each passes on one text and fails on another, saying why', () => {
  it('equals ignores the trailing line break a command prints', () => {
    expect(textProblems(output, { equals: 'git version 2.39.5' }, 'stdout')).toEqual([]);
    expect(textProblems(output, { equals: 'git version 2.40.0' }, 'stdout')).toEqual([
      'stdout is "git version 2.39.5", expected "git version 2.40.0"',
    ]);
  });

  it('contains and notContains, one value or several', () => {
    expect(textProblems(output, { contains: ['git', '2.39'] }, 'stdout')).toEqual([]);
    expect(textProblems(output, { contains: 'hg' }, 'stdout')).toEqual(['stdout does not contain "hg"']);
    expect(textProblems(output, { notContains: 'hg' }, 'stdout')).toEqual([]);
    expect(textProblems(output, { notContains: ['2.39'] }, 'stdout')).toEqual([
      'stdout contains "2.39" (at "git version 2.39.5\\n")',
    ]);
  });

  it('matches and notMatches, unanchored; a leading (?i) is a flag', () => {
    expect(textProblems(output, { matches: '\\d+\\.\\d+\\.\\d+' }, 'stdout')).toEqual([]);
    expect(textProblems(output, { matches: '(?i)GIT VERSION' }, 'stdout')).toEqual([]);
    expect(textProblems(output, { matches: '^2\\.' }, 'stdout')).toEqual(['stdout does not match /^2\\./']);
    expect(textProblems(output, { notMatches: 'version 1\\.' }, 'stdout')).toEqual([]);
    expect(textProblems(output, { notMatches: 'version \\d' }, 'stdout')[0]).toMatch(
      /^stdout matches \/version \\d\/ \(at "git version 2/,
    );
  });

  it('every condition is checked, so one report shows all that is wrong', () => {
    const problems = textProblems(output, { contains: 'hg', notContains: 'git', matches: 'svn' }, 'stdout');
    expect(problems).toHaveLength(3);
    expect(describeMatch({ contains: 'hg', notContains: 'git', matches: 'svn' }, 'stdout')).toBe(
      'stdout contains "hg"; stdout does not contain "git"; stdout matches /svn/',
    );
  });

  it('hostile output is quoted, bounded and escaped in a reason', () => {
    const hostile = `\u001b[2J${'x'.repeat(100_000)}`;
    const [problem] = textProblems(hostile, { equals: 'ok' }, 'stdout');
    expect(problem).toContain('\\u001b[2J');
    expect(problem).not.toContain('\u001b');
    expect(problem.length).toBeLessThan(200);
  });

  it('a catastrophic pattern is stopped after its time limit, not left to hang the suite', () => {
    const started = Date.now();
    const [problem] = textProblems(`${'a'.repeat(40)}!`, { matches: '^(a+)+$' }, 'stdout');
    expect(problem).toBe(`/^(a+)+$/ did not finish on stdout (41 characters) within ${MATCH_TIMEOUT_MS / 1000} s`);
    // A bound, not a timing assertion: it returned at all, well before a backtracking run would.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('patterns as recipes write them', () => {
  it('refuses what JavaScript would read differently from RE2', () => {
    expect(() => compilePattern('[[:digit:]]+')).toThrow(/POSIX classes/);
    expect(() => compilePattern('\\z')).toThrow(/not a regular expression/);
    expect(() => compilePattern('x'.repeat(1001))).toThrow(/at most 1000 characters/);
    expect(compilePattern('(?is)a.b').flags).toBe('isu');
  });
});
