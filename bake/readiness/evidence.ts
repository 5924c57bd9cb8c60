import { shellQuote } from '../common/shell-quote';
import type { CheckOutcome, Driver, Evidence, ExecOptions, ExecResult } from './types';

/** Evidence output is for people and CI logs: long outputs are cut, keeping both ends. */
export const EVIDENCE_MAX_CHARS = 4000;

export function clip(text: string, max = EVIDENCE_MAX_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n... (${text.length - max} characters cut) ...\n${text.slice(-half)}`;
}

/** How a command was run, as someone would retype it: `[user gobuild, login shell] go version`. */
export function describeCommand(argv: string[], opts: ExecOptions = {}): string {
  const how = [opts.user ? `user ${opts.user}` : '', opts.loginShell ? 'login shell' : ''].filter(Boolean);
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return `${how.length ? `[${how.join(', ')}] ` : ''}${[...env, ...argv.map(shellQuote)].join(' ')}`;
}

export function execOutput(result: ExecResult): string {
  const parts = [`exit ${result.exitCode}`];
  if (result.stdout.trim()) parts.push(result.stdout.trimEnd());
  if (result.stderr.trim()) parts.push(`stderr: ${result.stderr.trimEnd()}`);
  return clip(parts.join('\n'));
}

/** Runs a command and records it as evidence in one step. */
export async function execWithEvidence(
  driver: Driver,
  argv: string[],
  opts: ExecOptions,
  expected: string,
): Promise<{ result: ExecResult; evidence: Evidence }> {
  const result = await driver.exec(argv, opts);
  return { result, evidence: { command: describeCommand(argv, opts), output: execOutput(result), expected } };
}

/** Pass when nothing is wrong; otherwise fail with the first problem as the one-line reason. */
export function outcome(problems: string[], evidence: Evidence[], passReason: string): CheckOutcome {
  if (problems.length === 0) return { status: 'pass', reason: passReason, evidence };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return { status: 'fail', reason: oneLine(problems[0] + more), evidence };
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs a POSIX sh script; `args` arrive as "$1"... so no value is ever spliced into the script. */
export function shArgv(script: string, ...args: string[]): string[] {
  return ['sh', '-c', script, 'sh', ...args];
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** "exit 1: first line of what it said", or "exit 0, no output": a command's result in a reason. */
export function exitSummary(result: ExecResult): string {
  const said = firstLine(result.stderr || result.stdout);
  return said ? `exit ${result.exitCode}: ${said}` : `exit ${result.exitCode}, no output`;
}
