import { describeCommand, execOutput, outcome, shArgv } from '../../readiness/evidence';
import type { Check, Evidence } from '../../readiness/types';
import { DEFAULT_GO_ENV_PATH, GO_ENV_UNIT_PATH } from '../provision/unit-names';
import { goEnvUnitProblems, parseUnitFile } from './unit-file';

// systemd's own verdict where a booted systemd can give one (exit 100/101: not here).
const VERIFY =
  'command -v systemd-analyze >/dev/null || exit 100; ' +
  '[ -d /run/systemd/system ] || exit 101; systemd-analyze verify "$1"';

export const vmUnitFileCheck: Check = {
  id: 'vm.unit-file',
  description:
    `${GO_ENV_UNIT_PATH} is a valid oneshot unit that stays active, ` +
    `carries ${DEFAULT_GO_ENV_PATH} and starts with multi-user.target`,
  appliesTo: ['vm'],
  async run(driver) {
    const content = await driver.readFile(GO_ENV_UNIT_PATH);
    const evidence: Evidence[] = [];
    if (!content)
      return outcome(
        [`${GO_ENV_UNIT_PATH} does not exist`],
        [{ command: `read ${GO_ENV_UNIT_PATH}`, output: 'missing', expected: 'the unit file' }],
        '',
      );
    const parsed = parseUnitFile(content.toString('utf8'));
    const problems = [...parsed.problems, ...goEnvUnitProblems(parsed.unit, DEFAULT_GO_ENV_PATH)];
    evidence.push({
      command: `read ${GO_ENV_UNIT_PATH} and parse it`,
      output: content.toString('utf8').trimEnd(),
      expected:
        `Type=oneshot, RemainAfterExit=yes, EnvironmentFile=-${DEFAULT_GO_ENV_PATH}, ` +
        'an absolute ExecStart, WantedBy=multi-user.target',
    });

    const argv = shArgv(VERIFY, GO_ENV_UNIT_PATH);
    const verify = await driver.exec(argv, { user: 'root' });
    const ran = verify.exitCode !== 100 && verify.exitCode !== 101;
    if (ran && verify.exitCode !== 0) problems.push(`systemd-analyze verify rejects the unit: ${execOutput(verify)}`);
    evidence.push({
      command: describeCommand(argv),
      output: ran ? execOutput(verify) : 'not run: no booted systemd here',
      expected: 'exit 0 where systemd runs',
    });
    return outcome(problems, evidence, `a valid go-env.service${ran ? ', verified by systemd-analyze' : ''}`);
  },
};
