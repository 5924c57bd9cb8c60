import { execWithEvidence, exitSummary, outcome } from '../evidence';
import { parseProbeOutput } from '../probe-output';
import { PROBE_PATH } from '../../render/probe';
import type { Check } from '../types';

export const runtimeProbeCheck: Check = {
  id: 'runtime.probe',
  description:
    'the static probe runs as the non-root user and finds the right platform, a certificate pool and timezone data',
  appliesTo: ['runtime'],
  reads: 'artifact',
  async run(driver, expect) {
    const { name, uid } = expect.user;
    const want = {
      goVersion: `go${expect.goVersion}`,
      goos: 'linux',
      goarch: expect.arch,
      uid,
      certPool: true,
      timezone: true,
    };
    const { result, evidence } = await execWithEvidence(driver, [PROBE_PATH], { user: name }, JSON.stringify(want));
    const probe = parseProbeOutput(result.stdout);
    if (result.exitCode !== 0 || !probe) {
      return outcome([`${PROBE_PATH} did not print its report (${exitSummary(result)})`], [evidence], '');
    }
    const problems: string[] = [];
    const errors = probe.errors.length ? ` (${probe.errors.join('; ')})` : '';
    for (const [key, value] of Object.entries(want)) {
      const got = probe[key as keyof typeof want];
      if (got !== value)
        problems.push(`probe reports ${key}=${JSON.stringify(got)}, expected ${JSON.stringify(value)}${errors}`);
    }
    return outcome(
      problems,
      [evidence],
      `probe ran as ${name}: ${probe.goVersion} ${probe.goos}/${probe.goarch}, certificates and timezones load`,
    );
  },
};
