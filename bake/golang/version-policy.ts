import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { BakeError, ExitCode } from '../common/errors';
import { POLICY_FILE } from '../recipe/load-recipes';
import { formatProblem, type RecipeProblem, zodProblems } from '../recipe/recipe-errors';
import { goLine } from './go-version';
import type { GoPolicyLine, GoVersionPolicy, PolicyVerdict } from './types';

/** Warn this long before a line's end of support (the issue's "within 30 days"). */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const patchVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'expected an exact version like "1.22.12"');

const lineSchema = z
  .strictObject({
    line: z.string().regex(/^\d+\.\d+$/, 'expected a Go line like "1.22"'),
    minimumPatch: patchVersion,
    recommended: patchVersion,
    endOfSupport: isoDate,
  })
  .superRefine((l, ctx) => {
    for (const field of ['minimumPatch', 'recommended'] as const) {
      if (/^\d+\.\d+\.\d+$/.test(l[field]) && goLine(l[field]) !== l.line) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${l[field]} is not on line ${l.line}` });
      }
    }
    if (semver.valid(l.minimumPatch) && semver.valid(l.recommended) && semver.lt(l.recommended, l.minimumPatch)) {
      ctx.addIssue({ code: 'custom', path: ['recommended'], message: `${l.recommended} is below minimumPatch ${l.minimumPatch}` });
    }
  });

const policySchema = z
  .strictObject({ lines: z.array(lineSchema).min(1, 'list at least one supported Go line') })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.lines.forEach((l, i) => {
      if (seen.has(l.line)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'line'], message: `line ${l.line} is listed twice` });
      seen.add(l.line);
    });
  });

/**
 * A version the policy does not allow. Its own exit code is not needed: the fix is in the
 * recipe's Go range or in policy.yaml, both recipe inputs, hence ExitCode.InvalidRecipe.
 */
export class PolicyRefusedError extends BakeError {
  constructor(message: string) {
    super(message, ExitCode.InvalidRecipe, `supported lines are in ${POLICY_FILE} of the recipes directory`);
    this.name = 'PolicyRefusedError';
  }
}

/** Reads and validates `<recipesDir>/policy.yaml`, reporting every problem with file and field. */
export async function loadVersionPolicy(recipesDir: string): Promise<GoVersionPolicy> {
  const file = join(recipesDir, POLICY_FILE);
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(`cannot read the Go version policy ${file}: ${err.code ?? err.message}`, ExitCode.InvalidRecipe);
  });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    throw policyError(
      doc.errors.map((e) => ({ file, path: `line ${lineCounter.linePos(e.pos[0]).line}`, message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const result = policySchema.safeParse(doc.toJS());
  if (!result.success) throw policyError(zodProblems(file, result.error));
  return result.data;
}

/** All problems at once, in the same form as recipe problems (file: field: expectation). */
function policyError(problems: RecipeProblem[]): BakeError {
  const header = `invalid Go version policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):`;
  return new BakeError([header, ...problems.map(formatProblem)].join('\n  '), ExitCode.InvalidRecipe);
}

export function findPolicyLine(policy: GoVersionPolicy, line: string): GoPolicyLine | undefined {
  return policy.lines.find((l) => l.line === line);
}

/** First instant after the end-of-support day (the date itself is still supported, UTC). */
export function supportEndsAt(line: GoPolicyLine): Date {
  return new Date(Date.parse(`${line.endOfSupport}T00:00:00Z`) + DAY_MS);
}

/**
 * What the policy says about an exact version ("1.22.12") at `now`: refused (thrown) when its
 * line is not listed, it is below the line's minimum patch, or the line is past its end of
 * support; 'expiring' with a warning within EXPIRY_WARNING_DAYS of that end.
 */
export function evaluateVersion(policy: GoVersionPolicy, version: string, now: Date): PolicyVerdict {
  if (!semver.valid(version)) throw new PolicyRefusedError(`Go ${version} is not an exact version`);
  const lineName = goLine(version);
  const line = findPolicyLine(policy, lineName);
  if (!line) {
    throw new PolicyRefusedError(
      `Go ${version} is refused by the version policy: line ${lineName} is not supported (supported: ${policy.lines.map((l) => l.line).join(', ')})`,
    );
  }
  if (semver.lt(version, line.minimumPatch)) {
    throw new PolicyRefusedError(`Go ${version} is refused by the version policy: below the minimum patch ${line.minimumPatch} of line ${line.line}`);
  }
  const verdict = lineVerdict(policy, line, now, `Go ${version}`);
  if (semver.lt(version, line.recommended)) verdict.messages.push(`Go ${version} is older than the recommended ${line.recommended} of line ${line.line}`);
  return verdict;
}

/** The verdict for a whole line at `now`; throws PolicyRefusedError past its end of support. */
export function lineVerdict(policy: GoVersionPolicy, line: GoPolicyLine, now: Date, subject = `Go ${line.line}`): PolicyVerdict {
  const ends = supportEndsAt(line);
  if (now.getTime() >= ends.getTime()) {
    throw new PolicyRefusedError(`${subject} is refused by the version policy: line ${line.line} reached its end of support on ${line.endOfSupport}`);
  }
  const messages: string[] = [];
  const daysLeft = Math.ceil((ends.getTime() - now.getTime()) / DAY_MS);
  const expiring = daysLeft <= EXPIRY_WARNING_DAYS;
  if (expiring) {
    const next = successor(policy, line, now);
    messages.push(
      `Go ${line.line} reaches end of support on ${line.endOfSupport} (${daysLeft} day${daysLeft === 1 ? '' : 's'} left)` +
        (next ? `; move to ${next.line} (recommended ${next.recommended})` : ''),
    );
  }
  return { status: expiring ? 'expiring' : 'supported', line: line.line, endOfSupport: line.endOfSupport, recommended: line.recommended, messages };
}

/** The newest line that is not itself about to expire, to suggest as the way out. */
function successor(policy: GoVersionPolicy, line: GoPolicyLine, now: Date): GoPolicyLine | undefined {
  const horizon = now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS;
  return policy.lines
    .filter((l) => semver.gt(`${l.line}.0`, `${line.line}.0`) && supportEndsAt(l).getTime() > horizon)
    .sort((a, b) => semver.rcompare(`${a.line}.0`, `${b.line}.0`))[0];
}
