import junit, { type TestCase } from 'junit-report-builder';
import type { JUnitCase, JUnitSuite } from './types';

/** Characters XML 1.0 cannot carry at all, even escaped: shown as \xNN rather than dropped. */
// eslint-disable-next-line no-control-regex -- naming the control characters XML allows is the point
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function visible(text: string): string {
  return text.replace(INVALID_XML, (c) => `\\x${(c.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`);
}

/**
 * junit-report-builder writes output as CDATA and splits only the first `]]>` out of it (a
 * string replace): a later one would end the section early and let a command's output
 * forge elements. Those are split here; the first is left for the library.
 */
function cdataSafe(text: string): string {
  const first = text.indexOf(']]>');
  if (first < 0) return text;
  return (
    text.slice(0, first + 3) +
    text
      .slice(first + 3)
      .split(']]>')
      .join(']]]]><![CDATA[>')
  );
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * A JUnit XML document, the format CI systems render. Counts are the library's, from the
 * cases. Where it has no place for something (a `<skipped>` message, the run's time on
 * `<testsuites>`), the meaning moves: the reason to the case's system-out, the time to each suite.
 */
export function junitReport(name: string, suites: JUnitSuite[]): string {
  const builder = junit.newBuilder().name(visible(name));
  for (const s of suites) {
    const suite = builder.testSuite().name(visible(s.name));
    if (s.durationMs !== undefined) suite.time(seconds(s.durationMs));
    suite.timestamp(visible(s.timestamp));
    for (const [key, value] of Object.entries(s.properties ?? {})) suite.property(visible(key), visible(value));
    for (const c of s.cases) addCase(suite.testCase(), c);
  }
  return `${builder.build()}\n`;
}

function addCase(testCase: TestCase, c: JUnitCase): void {
  testCase.name(visible(c.name)).className(visible(c.classname)).time(seconds(c.durationMs));
  if (c.failure)
    testCase
      .failure(visible(c.failure.message), visible(c.failure.type))
      .stacktrace(cdataSafe(visible(c.failure.text)));
  if (c.skipped !== undefined) testCase.skipped();
  const output = [c.skipped, c.output].filter((t): t is string => !!t).join('\n');
  if (output) testCase.standardOutput(cdataSafe(visible(output)));
}
