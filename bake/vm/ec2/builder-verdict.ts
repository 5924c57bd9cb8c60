import { BakeError, ExitCode } from '../../common/errors';
import { TAG } from './bake-tags';
import type { Ec2Api } from './ec2-api';
import { parseConsoleResult } from './host-result';
import type { BuilderVerdict, ConsoleResult } from './types';
import { parseConsoleBaseline } from '../host/host-baseline';
import { pollUntil } from './poll';
import type { AmiTimeouts, PublishedVerdict } from '../types';

const GONE = ['stopping', 'stopped', 'shutting-down', 'terminated'];

/** The verdict tags the builder set on itself, or undefined while there are none. */
export function publishedVerdict(tags: Record<string, string>): PublishedVerdict | undefined {
  const status = tags[TAG.verdict];
  if (status !== 'pass' && status !== 'fail') return undefined;
  const sha = tags[TAG.verdictSha256];
  return { status, summary: tags[TAG.verdictSummary] ?? '', ...(sha ? { resultSha256: sha } : {}) };
}

/**
 * Waits for the builder's verdict: its tags (set with its instance role), or, on a builder
 * without a role, the result block on its console. Then, for a tagged verdict, gives the
 * console a little longer to show the full result (EC2 updates it with a delay).
 */
export async function waitForVerdict(
  ec2: Ec2Api,
  instanceId: string,
  timeouts: AmiTimeouts,
  signal?: AbortSignal,
): Promise<BuilderVerdict> {
  const poll = { intervalMs: timeouts.pollMs, signal };
  const seen = await pollUntil(
    `the readiness verdict of builder ${instanceId}`,
    async (): Promise<BuilderVerdict | undefined> => {
      const instance = await ec2.describeInstance(instanceId);
      if (!instance) throw new BakeError(`builder ${instanceId} no longer exists`, ExitCode.Unavailable);
      const verdict = publishedVerdict(instance.tags);
      if (verdict) return { verdict };
      if (GONE.includes(instance.state))
        throw new BakeError(
          `builder ${instanceId} is ${instance.state} and published no verdict`,
          ExitCode.CheckFailed,
        );
      const console = await consoleResult(ec2, instanceId);
      return console
        ? {
            verdict: {
              status: console.result.passed ? 'pass' : 'fail',
              summary: console.result.summary,
              resultSha256: console.sha256,
            },
            console,
          }
        : undefined;
    },
    { ...poll, timeoutMs: timeouts.provisionMs },
  );
  if (seen.console || !seen.verdict.resultSha256) return seen;
  const wanted = seen.verdict.resultSha256;
  const console = await pollUntil(
    'the console copy of the result',
    async () => matching(await consoleResult(ec2, instanceId), wanted),
    {
      ...poll,
      timeoutMs: timeouts.consoleMs,
    },
  ).catch((err: unknown) => {
    if (signal?.aborted) throw err;
    return undefined;
  });
  return console ? { ...seen, console } : seen;
}

/** The result on the console, with the baseline the script recorded just before it (when that is there whole). */
async function consoleResult(ec2: Ec2Api, instanceId: string): Promise<ConsoleResult | undefined> {
  const text = await ec2.consoleOutput(instanceId);
  const result = text ? parseConsoleResult(text) : undefined;
  const baseline = result && parseConsoleBaseline(text!);
  return result && baseline ? { ...result, baseline } : result;
}

function matching(result: ConsoleResult | undefined, sha256: string): ConsoleResult | undefined {
  return result?.sha256 === sha256 ? result : undefined;
}
