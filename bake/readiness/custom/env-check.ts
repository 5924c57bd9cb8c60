import type { CustomCheck } from '../../recipe/types';
import { execOutput, outcome } from '../evidence';
import type { CheckOutcome, Driver, Evidence } from '../types';
import { describeMatch, textProblems, toTextMatch } from './text-match';

export type EnvCheckSpec = Extract<CustomCheck, { kind: 'env' }>;

/**
 * `kind: env`: one variable as `go env NAME` prints it, or as every process of the artifact
 * starts with it (an image's config Env, which needs no program in the image; a host's
 * service environment through `env`).
 */
export async function runEnvCheck(driver: Driver, spec: EnvCheckSpec): Promise<CheckOutcome> {
  const match = toTextMatch(spec.value);
  const what = spec.source === 'go' ? `go env ${spec.name}` : `$${spec.name}`;
  const expected = describeMatch(match, what);
  const opts = spec.user ? { user: spec.user } : {};
  let value: string | undefined;
  let evidence: Evidence;
  if (spec.source === 'go') {
    const result = await driver.exec(['go', 'env', spec.name], opts);
    evidence = { command: `go env ${spec.name}`, output: execOutput(result), expected };
    if (result.exitCode !== 0) return outcome([`go env ${spec.name} failed (exit ${result.exitCode})`], [evidence], '');
    value = result.stdout.replace(/\r?\n$/, '');
  } else if (driver.imageConfig && !spec.user) {
    value = (await driver.imageConfig()).env[spec.name];
    evidence = { command: 'image config Env', output: shownVar(spec.name, value), expected };
  } else {
    const result = await driver.exec(['env'], opts);
    const line = result.stdout.split('\n').find((l) => l.startsWith(`${spec.name}=`));
    value = line?.slice(spec.name.length + 1);
    evidence = {
      command: `${spec.user ? `[user ${spec.user}] ` : ''}env`,
      output: shownVar(spec.name, value),
      expected,
    };
    if (result.exitCode !== 0) return outcome([`env failed (exit ${result.exitCode})`], [evidence], '');
  }
  const problems = value === undefined ? [`${what} is not set`] : textProblems(value, match, what);
  return outcome(problems, [evidence], expected);
}

function shownVar(name: string, value: string | undefined): string {
  return value === undefined ? `${name} is not set` : `${name}=${value}`;
}
