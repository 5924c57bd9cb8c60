import { envMismatches, formatEnv } from '../../readiness/go-env-values';
import { execWithEvidence, outcome } from '../../readiness/evidence';
import type { Check } from '../../readiness/types';
import { parseEnvironmentFile } from '../provision/environment-file';
import { DEFAULT_GO_ENV_PATH } from '../provision/unit-names';

export const vmDefaultGoEnvCheck: Check = {
  id: 'vm.default-go-env',
  description:
    `${DEFAULT_GO_ENV_PATH} (what services get) holds exactly the planned Go environment, ` +
    'root-owned and not writable by others',
  appliesTo: ['vm'],
  async run(driver, expect) {
    const content = await driver.readFile(DEFAULT_GO_ENV_PATH);
    if (!content)
      return outcome(
        [`${DEFAULT_GO_ENV_PATH} does not exist`],
        [{ command: `read ${DEFAULT_GO_ENV_PATH}`, output: 'missing', expected: formatEnv(expect.env) }],
        '',
      );
    const parsed = parseEnvironmentFile(content.toString('utf8'));
    const seen = envMismatches(parsed.values, expect.env, DEFAULT_GO_ENV_PATH);
    const extra = Object.keys(parsed.values).filter((k) => !(k in expect.env));
    const problems = [
      ...seen.problems,
      ...parsed.problems.map((p) => `${DEFAULT_GO_ENV_PATH} ${p} is not an assignment systemd and sh read alike`),
      ...extra.map((k) => `${DEFAULT_GO_ENV_PATH} sets ${k}, which the plan does not`),
    ];
    const stat = await execWithEvidence(
      driver,
      ['stat', '-c', '%u %a', DEFAULT_GO_ENV_PATH],
      { user: 'root' },
      '0 644',
    );
    const [uid, mode = ''] = stat.result.stdout.trim().split(' ');
    if (uid !== '0' || (Number.parseInt(mode, 8) & 0o022) !== 0)
      problems.push(
        `${DEFAULT_GO_ENV_PATH} is owned by uid ${uid} with mode ${mode}; expected root and not writable by others`,
      );
    return outcome(
      problems,
      [
        { command: `read ${DEFAULT_GO_ENV_PATH} and parse it`, output: seen.shown, expected: formatEnv(expect.env) },
        stat.evidence,
      ],
      `${Object.keys(expect.env).length} variables as planned`,
    );
  },
};
