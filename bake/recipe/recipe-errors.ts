import type { z } from 'zod';
import { BakeError, ExitCode } from '../common/errors';

export interface RecipeProblem {
  file: string;
  path: string;
  message: string;
}

/** All problems of all recipe files, reported at once. */
export class RecipeError extends BakeError {
  constructor(readonly problems: RecipeProblem[]) {
    super(
      [
        `invalid recipes (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map(formatProblem),
      ].join('\n  '),
      ExitCode.InvalidRecipe,
    );
    this.name = 'RecipeError';
  }
}

export function formatProblem(p: RecipeProblem): string {
  return `${p.file}: ${p.path || '(top level)'}: ${p.message}`;
}

export function zodProblems(file: string, error: z.ZodError): RecipeProblem[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map((k) => pathSegment(String(k))).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file,
        path: path ? `${path}.${pathSegment(key)}` : pathSegment(key),
        message: 'unknown key',
      }));
    }
    return [{ file, path, message: expectation(issue) }];
  });
}

function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? `missing (expected ${issue.expected})`
      : `expected ${issue.expected}, got ${describe(issue.input)}`;
  }
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
  if (issue.code === 'invalid_format' || issue.code === 'custom') return issue.message;
  return issue.message;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? shownValue(value) : String(JSON.stringify(value)).slice(0, SHOWN_VALUE_CHARS);
}

/** A key in a field path as written when it is a plain name; quoted and bounded when it is anything else. */
export function pathSegment(key: string): string {
  return /^[A-Za-z0-9_-]{1,60}$/.test(key) ? key : shownValue(key);
}

/** How much of an offending value a message echoes: enough to find it, never a flood. */
export const SHOWN_VALUE_CHARS = 60;

export function shownValue(value: string): string {
  const json = JSON.stringify(value.length > SHOWN_VALUE_CHARS ? `${value.slice(0, SHOWN_VALUE_CHARS)}…` : value);
  return value.length > SHOWN_VALUE_CHARS ? `${json} (${value.length} characters)` : json;
}
