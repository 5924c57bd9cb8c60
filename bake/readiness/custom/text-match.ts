import { runInNewContext } from 'node:vm';
import { compilePattern } from '../../common/text-pattern';
import { shownValue } from '../../recipe/recipe-errors';
import type { TextMatch } from '../../recipe/types';

/**
 * A regular expression runs at most this long on one text: a recipe's pattern meeting a
 * command's output must not be able to stall the suite (catastrophic backtracking).
 */
export const MATCH_TIMEOUT_MS = 2000;

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A plain string in a recipe means "equals". */
export function toTextMatch(value: string | TextMatch): TextMatch {
  return typeof value === 'string' ? { equals: value } : value;
}

/**
 * What is wrong with `text` against `match` (empty when every condition holds), each problem
 * one line naming `what` ("stdout", "/etc/os-release", "label x"). `equals` ignores trailing
 * line breaks, as a command's output ends with one; patterns are unanchored, as in
 * container-structure-test and goss.
 */
export function textProblems(text: string, match: TextMatch, what: string): string[] {
  const problems: string[] = [];
  if (match.equals !== undefined && trimEnd(text) !== trimEnd(match.equals))
    problems.push(`${what} is ${shownValue(trimEnd(text))}, expected ${shownValue(match.equals)}`);
  for (const s of asList(match.contains))
    if (!text.includes(s)) problems.push(`${what} does not contain ${shownValue(s)}`);
  for (const s of asList(match.notContains)) {
    const at = text.indexOf(s);
    if (at >= 0) problems.push(`${what} contains ${shownValue(s)} (${around(text, at, s.length)})`);
  }
  for (const p of asList(match.matches)) {
    const found = search(p, text, what);
    if (typeof found === 'string') problems.push(found);
    else if (!found) problems.push(`${what} does not match /${shownPattern(p)}/`);
  }
  for (const p of asList(match.notMatches)) {
    const found = search(p, text, what);
    if (typeof found === 'string') problems.push(found);
    else if (found) problems.push(`${what} matches /${shownPattern(p)}/ (${around(text, found.index, found.length)})`);
  }
  return problems;
}

/** The conditions as one line, for a report's "expected". */
export function describeMatch(match: TextMatch, what: string): string {
  return [
    ...(match.equals !== undefined ? [`${what} is ${shownValue(match.equals)}`] : []),
    ...asList(match.contains).map((s) => `${what} contains ${shownValue(s)}`),
    ...asList(match.notContains).map((s) => `${what} does not contain ${shownValue(s)}`),
    ...asList(match.matches).map((p) => `${what} matches /${shownPattern(p)}/`),
    ...asList(match.notMatches).map((p) => `${what} does not match /${shownPattern(p)}/`),
  ].join('; ');
}

/** `re.exec(text)`, stopped after MATCH_TIMEOUT_MS (then it throws). */
export function execWithin(re: RegExp, text: string): RegExpExecArray | null {
  return runInNewContext('re.exec(text)', { re, text }, { timeout: MATCH_TIMEOUT_MS }) as RegExpExecArray | null;
}

/** Where a pattern first matches (bounded in time), or a problem when it cannot tell. */
function search(source: string, text: string, what: string): { index: number; length: number } | null | string {
  try {
    const m = execWithin(compilePattern(source), text);
    return m ? { index: m.index, length: m[0].length } : null;
  } catch {
    const seconds = MATCH_TIMEOUT_MS / 1000;
    return `/${shownPattern(source)}/ did not finish on ${what} (${text.length} characters) within ${seconds} s`;
  }
}

function trimEnd(text: string): string {
  return text.replace(/(\r?\n)+$/, '');
}

/** A little of the text around a hit, quoted and bounded. */
function around(text: string, index: number, length: number): string {
  return `at ${shownValue(text.slice(Math.max(0, index - 20), index + Math.max(length, 1) + 20))}`;
}

/** A pattern as a report shows it: bounded, control characters escaped. */
export function shownPattern(source: string): string {
  const escaped = source.replace(
    // eslint-disable-next-line no-control-regex -- escaping the control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped;
}

/** A path or name in a reason: as written when it is plain printable text, else quoted with escapes. */
export function shownName(text: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(text) ? text : shownValue(text);
}
