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
import { DEFAULT_UPSTREAM_LINES, effectiveLines, LEFT_UPSTREAM_SUPPORT } from './upstream-go-lines';

/** Warn this long before a line's end of support (the issue's "within 30 days"). */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  );
const patchVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'expected an exact version like "1.22.12"');

const lineSchema = z
  .strictObject({
    line: z.string().regex(/^\d+\.\d+$/, 'expected a Go line like "1.27"'),
    minimumPatch: patchVersion.optional(),
    recommended: patchVersion.optional(),
    endOfSupport: isoDate.optional(),
  })
  .superRefine((l, ctx) => {
    for (const field of ['minimumPatch', 'recommended'] as const) {
      const v = l[field];
      if (v && /^\d+\.\d+\.\d+$/.test(v) && goLine(v) !== l.line) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${v} is not on line ${l.line}` });
      }
    }
    if (
      l.minimumPatch &&
      l.recommended &&
      semver.valid(l.minimumPatch) &&
      semver.valid(l.recommended) &&
      semver.lt(l.recommended, l.minimumPatch)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['recommended'],
        message: `${l.recommended} is below minimumPatch ${l.minimumPatch}`,
      });
    }
  });

const policySchema = z
  .strictObject({
    upstreamLines: z.number().int().min(0).max(10).default(DEFAULT_UPSTREAM_LINES),
    lines: z.array(lineSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.lines.forEach((l, i) => {
      if (seen.has(l.line))
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'line'], message: `line ${l.line} is listed twice` });
      seen.add(l.line);
    });
    if (p.upstreamLines === 0 && !p.lines.some((l) => l.endOfSupport)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: 'with upstreamLines: 0, list at least one line with an endOfSupport',
      });
    }
  });

/**
 * A version the policy does not allow. Its own exit code is not needed: the fix is in the
 * recipe's Go range or in policy.yaml, both recipe inputs, hence ExitCode.InvalidRecipe.
 */
export class PolicyRefusedError extends BakeError {
  constructor(message: string) {
    super(
      message,
      ExitCode.InvalidRecipe,
      "upstream's newest Go lines are supported; " +
        'a site keeps another line (with an end date) ' +
        `or pins a minimum patch in ${POLICY_FILE} of the recipes directory`,
    );
    this.name = 'PolicyRefusedError';
  }
}

/** Reads and validates `<recipesDir>/policy.yaml`, reporting every problem with file and field. */
export async function loadVersionPolicy(recipesDir: string): Promise<GoVersionPolicy> {
  const file = join(recipesDir, POLICY_FILE);
  const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(
      `cannot read the Go version policy ${file}: ${err.code ?? err.message}`,
      ExitCode.InvalidRecipe,
    );
  });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    throw policyError(
      doc.errors.map((e) => ({
        file,
        path: `line ${lineCounter.linePos(e.pos[0]).line}`,
        message: `YAML: ${e.message.split('\n')[0]}`,
      })),
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

export function findPolicyLine(lines: GoPolicyLine[], line: string): GoPolicyLine | undefined {
  return lines.find((l) => l.line === line);
}

/** First instant after the end-of-support day (the date itself is still supported, UTC); never for an upstream line. */
export function supportEndsAt(line: GoPolicyLine): Date | undefined {
  return line.endOfSupport ? new Date(Date.parse(`${line.endOfSupport}T00:00:00Z`) + DAY_MS) : undefined;
}

/**
 * What the policy says about an exact version ("1.27.4") at `now`, `known` being the exact
 * versions of the release index it was found in: refused (thrown) when its line is not
 * supported (upstream has left it and the site does not keep it), it is below the line's
 * minimum patch, or the site's end date for the line has passed; 'expiring' with a warning
 * within EXPIRY_WARNING_DAYS of that date.
 */
export function evaluateVersion(
  policy: GoVersionPolicy,
  version: string,
  now: Date,
  known: readonly string[] = [],
): PolicyVerdict {
  if (!semver.valid(version)) throw new PolicyRefusedError(`Go ${version} is not an exact version`);
  const lines = effectiveLines(policy, [...known, version]);
  const lineName = goLine(version);
  const line = findPolicyLine(lines, lineName);
  if (!line)
    throw new PolicyRefusedError(`Go ${version} is refused by the version policy: ${unsupportedLine(lineName, lines)}`);
  if (semver.lt(version, line.minimumPatch)) {
    throw new PolicyRefusedError(
      `Go ${version} is refused by the version policy: ` +
        `below the minimum patch ${line.minimumPatch} of line ${line.line}`,
    );
  }
  const verdict = lineVerdict(lines, line, now, `Go ${version}`);
  if (semver.lt(version, line.recommended))
    verdict.messages.push(`Go ${version} is older than the recommended ${line.recommended} of line ${line.line}`);
  return verdict;
}

/** Why a line is not supported, with the date it left upstream support where that is known. */
export function unsupportedLine(lineName: string, lines: GoPolicyLine[]): string {
  const left = LEFT_UPSTREAM_SUPPORT[lineName];
  const supported = lines.map((l) => l.line).join(', ') || 'none';
  const leftUpstream = left ? ` (it left upstream support on ${left})` : '';
  return `line ${lineName} is not supported${leftUpstream}; supported: ${supported}`;
}

/** The verdict for a whole line at `now`; throws PolicyRefusedError past the site's end date for it. */
export function lineVerdict(
  lines: GoPolicyLine[],
  line: GoPolicyLine,
  now: Date,
  subject = `Go ${line.line}`,
): PolicyVerdict {
  const ends = supportEndsAt(line);
  const base = {
    line: line.line,
    recommended: line.recommended,
    ...(line.endOfSupport ? { endOfSupport: line.endOfSupport } : {}),
  };
  if (!ends) return { status: 'supported', ...base, messages: [] };
  if (now.getTime() >= ends.getTime()) {
    throw new PolicyRefusedError(
      `${subject} is refused by the version policy: ` +
        `line ${line.line} reached its end of support on ${line.endOfSupport}`,
    );
  }
  const messages: string[] = [];
  const daysLeft = Math.ceil((ends.getTime() - now.getTime()) / DAY_MS);
  const expiring = daysLeft <= EXPIRY_WARNING_DAYS;
  if (expiring) {
    const next = successor(lines, line, now);
    messages.push(
      `Go ${line.line} reaches end of support on ${line.endOfSupport} ` +
        `(${daysLeft} day${daysLeft === 1 ? '' : 's'} left)` +
        (next ? `; move to ${next.line} (recommended ${next.recommended})` : ''),
    );
  }
  return { status: expiring ? 'expiring' : 'supported', ...base, messages };
}

/** The newest line that is not itself about to expire, to suggest as the way out. */
function successor(lines: GoPolicyLine[], line: GoPolicyLine, now: Date): GoPolicyLine | undefined {
  const horizon = now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS;
  return lines
    .filter((l) => semver.gt(`${l.line}.0`, `${line.line}.0`) && (supportEndsAt(l)?.getTime() ?? Infinity) > horizon)
    .sort((a, b) => semver.rcompare(`${a.line}.0`, `${b.line}.0`))[0];
}
