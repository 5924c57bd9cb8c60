import { z } from 'zod';
import { sha256Hex } from '../../common/sha256';
import type { Report } from '../../readiness/types';
import { RESULT_BEGIN, RESULT_END } from './bake-tags';
import type { HostResult, PublishedVerdict } from '../types';
import type { ConsoleResult } from './types';

const hostResultSchema = z.object({
  schema: z.literal('bake.host-readiness/v1'),
  target: z.string(),
  passed: z.boolean(),
  summary: z.string(),
  finishedAt: z.string(),
  results: z.array(z.object({ id: z.string(), status: z.enum(['pass', 'fail']), reason: z.string() })),
});

/**
 * The script's result cut out of console output (or the result file): the last complete block
 * between the markers whose line hashes to what the end marker says. Anything else (a boot
 * log interleaved into the line, a cut-off console) is not a result.
 */
export function parseConsoleResult(text: string): ConsoleResult | undefined {
  const lines = text.replace(/\r/g, '').split('\n');
  for (let end = lines.length - 1; end >= 2; end--) {
    const mark = new RegExp(`^${escape(RESULT_END)} sha256=([0-9a-f]{64})$`).exec(lines[end].trim());
    if (!mark || lines[end - 2].trim() !== RESULT_BEGIN) continue;
    const line = lines[end - 1];
    if (sha256Hex(`${line}\n`) !== mark[1]) continue;
    const parsed = hostResultSchema.safeParse(safeJson(line));
    if (parsed.success) return { result: parsed.data, sha256: mark[1] };
  }
  return undefined;
}

/** The host's own result as a readiness report, so it is written and read like every other. */
export function hostReport(result: HostResult, artifact: Report['artifact'], startedAt: Date): Report {
  return {
    schema: 'bake.report/v1',
    artifact,
    target: result.target,
    passed: result.passed && result.results.length > 0 && result.results.every((r) => r.status === 'pass'),
    results: result.results.map((r) => ({
      id: r.id,
      description: `${r.id}, as the provisioning script checked it on the host`,
      status: r.status,
      reason: r.reason,
      evidence: [{ command: 'the provisioning script on the host', output: r.reason, expected: '' }],
      durationMs: 0,
    })),
    skipped: [],
    startedAt: startedAt.toISOString(),
    durationMs: elapsed(startedAt, Date.parse(result.finishedAt)),
  };
}

/** When only the verdict tag could be read (no console, as with moto): a one-result report. */
export function verdictReport(
  target: string,
  verdict: PublishedVerdict,
  artifact: Report['artifact'],
  startedAt: Date,
  now: Date,
): Report {
  return {
    schema: 'bake.report/v1',
    artifact,
    target,
    passed: verdict.status === 'pass',
    results: [
      {
        id: 'host.verdict',
        description:
          'the verdict the builder published through its instance tags (its console result was not readable)',
        status: verdict.status,
        reason: verdict.summary,
        evidence: [
          {
            command: 'DescribeInstances: tags of the builder',
            output: `${verdict.status}: ${verdict.summary}`,
            expected: 'pass',
          },
        ],
        durationMs: 0,
      },
    ],
    skipped: [],
    startedAt: startedAt.toISOString(),
    durationMs: now.getTime() - startedAt.getTime(),
  };
}

/** From `startedAt` until the host said it finished; 0 when its clock or its answer make no sense. */
function elapsed(startedAt: Date, finished: number): number {
  return Number.isNaN(finished) ? 0 : Math.max(0, finished - startedAt.getTime());
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
