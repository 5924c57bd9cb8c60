import { execWithEvidence, exitSummary, outcome } from '../evidence';
import { effectiveGoValue, envMismatches, formatEnv, parseEnvLines, parseGoEnvJson } from '../go-env-values';
import type { Check, Evidence } from '../types';

export const goEnvCheck: Check = {
  id: 'go.env',
  description: '`go env -json` has every planned Go setting, and $GOROOT/go.env alone gives the policy values',
  appliesTo: ['toolchain', 'vm'],
  reads: 'artifact',
  async run(driver, expect) {
    const problems: string[] = [];
    const evidence: Evidence[] = [];

    const configured = await execWithEvidence(driver, ['go', 'env', '-json'], {}, '');
    const goEnv = parseGoEnvJson(configured.result.stdout);
    if (configured.result.exitCode !== 0 || !goEnv) {
      evidence.push({ ...configured.evidence, expected: 'a JSON object' });
      return outcome([`go env -json failed (${exitSummary(configured.result)})`], evidence, '');
    }
    const goKeys = Object.keys(expect.env).filter((k) => k in goEnv);
    const wantGo = Object.fromEntries(goKeys.map((k) => [k, effectiveGoValue(k, expect.env)]));
    const seen = envMismatches(goEnv, wantGo, 'go env');
    problems.push(...seen.problems);
    evidence.push({ command: configured.evidence.command, output: seen.shown, expected: formatEnv(wantGo) });
    // Go 1.23+ reports its telemetry mode; a golden environment collects nothing.
    if ('GOTELEMETRY' in goEnv && goEnv.GOTELEMETRY !== 'off') {
      problems.push(
        `go env GOTELEMETRY is ${JSON.stringify(goEnv.GOTELEMETRY)}, ` +
          `expected "off" (the mode file under the build user's config)`,
      );
      evidence.push({
        command: configured.evidence.command,
        output: `GOTELEMETRY=${goEnv.GOTELEMETRY}`,
        expected: 'GOTELEMETRY=off',
      });
    }

    // Variables go does not know (PATH, HOME...) must still reach every process from the image config.
    const otherKeys = Object.keys(expect.env).filter((k) => !(k in goEnv));
    if (otherKeys.length > 0) {
      const { result, evidence: envEvidence } = await execWithEvidence(driver, ['env'], {}, '');
      const wantOther = Object.fromEntries(otherKeys.map((k) => [k, expect.env[k] ?? '']));
      const other = envMismatches(parseEnvLines(result.stdout), wantOther, 'the process environment');
      problems.push(...other.problems);
      evidence.push({ command: envEvidence.command, output: other.shown, expected: formatEnv(wantOther) });
    }

    // A process that starts with no environment (cron, systemd units, IDEs) only has $GOROOT/go.env.
    const goroot = expect.env.GOROOT ?? '/usr/local/go';
    const policyKeys = Object.keys(expect.target.env);
    const bare = await execWithEvidence(
      driver,
      ['env', '-i', `HOME=${expect.user.home}`, `PATH=${goroot}/bin:/usr/bin:/bin`, 'go', 'env', '-json'],
      {},
      '',
    );
    const bareEnv = parseGoEnvJson(bare.result.stdout);
    const source = { ...expect.target.env, ...pick(expect.env, policyKeys) } as Record<string, string>;
    const wantBare = Object.fromEntries(policyKeys.map((k) => [k, effectiveGoValue(k, source)]));
    if (bare.result.exitCode !== 0 || !bareEnv) {
      problems.push(`go env -json with an empty environment failed (${exitSummary(bare.result)})`);
      evidence.push({ ...bare.evidence, expected: formatEnv(wantBare) });
    } else {
      const fromFile = envMismatches(bareEnv, wantBare, `$GOROOT/go.env (${goroot}/go.env, empty environment)`);
      problems.push(...fromFile.problems);
      evidence.push({ command: bare.evidence.command, output: fromFile.shown, expected: formatEnv(wantBare) });
    }
    return outcome(
      problems,
      evidence,
      `${goKeys.length + otherKeys.length} settings match; ${policyKeys.length} policy values also come from go.env`,
    );
  },
};

function pick(env: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => k in env).map((k) => [k, env[k]]));
}
