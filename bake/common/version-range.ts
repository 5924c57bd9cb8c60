import semver from 'semver';
import { compareDebianVersions } from './debian-version';
import { compareRpmVersions } from './rpm-version';

/** How a `version` check orders versions: semver ranges, or Debian's or RPM's ordering. */
export const VERSION_SCHEMES = ['semver', 'debian', 'rpm'] as const;
export type VersionScheme = (typeof VERSION_SCHEMES)[number];

/** Debian's `<<` and `>>` are written as well as the usual operators. */
const OPERATORS = ['>=', '<=', '>>', '<<', '==', '!=', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];
interface Constraint {
  op: Operator;
  version: string;
}

const VERSION_SYNTAX: Record<Exclude<VersionScheme, 'semver'>, RegExp> = {
  // deb-version(5): [epoch:]upstream[-revision], upstream starting with a digit.
  debian: /^(\d+:)?\d[A-Za-z0-9.+~:-]*$/,
  rpm: /^(\d+:)?[A-Za-z0-9._+~^-]+$/,
};

/** Why `version` is not a version of `scheme`, or undefined when it is one. */
export function versionProblem(scheme: VersionScheme, version: string): string | undefined {
  if (scheme === 'semver') return semver.valid(version) ? undefined : 'not a semantic version (such as 2.39.5)';
  return VERSION_SYNTAX[scheme].test(version) ? undefined : `not a ${scheme} version`;
}

/**
 * Why `range` is not a range of `scheme`, or undefined. semver takes the semver package's
 * ranges (`>=2.39 <3`, `^1.2`, `1.x || 2.x`); debian and rpm take constraints separated by
 * commas, all of which must hold (`>= 1:2.39, << 1:3`).
 */
export function versionRangeProblem(scheme: VersionScheme, range: string): string | undefined {
  if (scheme === 'semver') return semver.validRange(range) ? undefined : 'not a semver range (such as ">=2.39.0 <3")';
  const parsed = parseConstraints(range);
  if (typeof parsed === 'string') return parsed;
  for (const c of parsed) {
    const problem = versionProblem(scheme, c.version);
    if (problem) return `${JSON.stringify(c.version)} is ${problem}`;
  }
  return undefined;
}

/** Whether `version` lies in `range` (both valid for `scheme`; see versionRangeProblem). */
export function satisfiesRange(scheme: VersionScheme, version: string, range: string): boolean {
  if (scheme === 'semver') return semver.satisfies(version, range);
  const parsed = parseConstraints(range);
  if (typeof parsed === 'string') throw new Error(`invalid ${scheme} range ${JSON.stringify(range)}: ${parsed}`);
  const compare = scheme === 'debian' ? compareDebianVersions : compareRpmVersions;
  return parsed.every((c) => holds(c.op, compare(version, c.version)));
}

function parseConstraints(range: string): Constraint[] | string {
  const parts = range.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) return 'expected constraints such as ">= 2.39, << 3" (an empty one is written)';
  const constraints: Constraint[] = [];
  for (const part of parts) {
    const op = OPERATORS.find((o) => part.startsWith(o));
    const version = op ? part.slice(op.length).trim() : '';
    if (!op || !version || /\s/.test(version))
      return `${JSON.stringify(part)} is not a constraint: an operator (${OPERATORS.join(' ')}) and a version`;
    constraints.push({ op, version });
  }
  return constraints;
}

function holds(op: Operator, order: number): boolean {
  switch (op) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
    case '>>':
      return order > 0;
    case '<':
    case '<<':
      return order < 0;
    case '=':
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}
