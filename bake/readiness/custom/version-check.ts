import semver from 'semver';
import { compilePattern } from '../../common/text-pattern';
import { satisfiesRange, versionProblem, type VersionScheme } from '../../common/version-range';
import { shownValue } from '../../recipe/recipe-errors';
import type { CustomCheck } from '../../recipe/types';
import { execOutput, outcome } from '../evidence';
import type { CheckOutcome, Driver } from '../types';
import { execBounded, timedOutOutcome } from './bounded-exec';
import { execWithin, shownPattern } from './text-match';

export type VersionCheckSpec = Extract<CustomCheck, { kind: 'version' }>;

/** The first version-like word of an output, per scheme, when the check gives no pattern. */
const DEFAULT_PATTERNS: Record<VersionScheme, RegExp> = {
  semver: /\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/,
  debian: /(?:\d+:)?\d[A-Za-z0-9.+~:-]*/,
  rpm: /(?:\d+:)?\d[A-Za-z0-9._+~^-]*/,
};

/**
 * `kind: version`: a command's output (stdout, else stderr, as some tools print versions
 * there) parsed for a version and compared with a semver range or Debian or RPM constraints.
 * A command that exits non-zero fails the check: its output is not a version report.
 */
export async function runVersionCheck(driver: Driver, spec: VersionCheckSpec): Promise<CheckOutcome> {
  const scheme = spec.scheme ?? 'semver';
  const expected = `a ${scheme} version in ${shownValue(spec.range)}`;
  const run = await execBounded(driver, spec);
  if (run.timedOut) return timedOutOutcome(run, expected);
  const { result } = run;
  const evidence = { command: run.command, output: execOutput(result), expected };
  if (result.exitCode !== 0) return outcome([`the command exited ${result.exitCode}`], [evidence], '');
  const found = extract(result.stdout, spec, scheme) ?? extract(result.stderr, spec, scheme);
  if (!found)
    return outcome(
      [`no version in the output${spec.pattern ? ` (pattern /${shownPattern(spec.pattern)}/ did not match)` : ''}`],
      [evidence],
      '',
    );
  let version = found;
  if (scheme === 'semver' && !semver.valid(found)) {
    const coerced = semver.coerce(found)?.version;
    if (!coerced) return outcome([`${shownValue(found)} is not a semantic version`], [evidence], '');
    version = coerced;
  }
  const problem = versionProblem(scheme, version);
  if (problem) return outcome([`${shownValue(version)} is ${problem}`], [evidence], '');
  const read = version === found ? version : `${found} (read as ${version})`;
  evidence.output = `${evidence.output}\nversion: ${read}`;
  return satisfiesRange(scheme, version, spec.range)
    ? outcome([], [evidence], `${read} is in ${spec.range}`)
    : outcome([`version ${read} is not in ${shownValue(spec.range)}`], [evidence], '');
}

/** The pattern's first capture group, else its whole match; the scheme's default pattern when none is given. */
function extract(text: string, spec: VersionCheckSpec, scheme: VersionScheme): string | undefined {
  // The output is already bounded by the driver; a version is near the start of it.
  const head = text.slice(0, 64 * 1024);
  const m = execWithin(spec.pattern ? compilePattern(spec.pattern) : DEFAULT_PATTERNS[scheme], head);
  return m ? (m[1] ?? m[0]) : undefined;
}
