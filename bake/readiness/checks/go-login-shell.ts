import { firstLine, outcome, describeCommand, execOutput, shArgv } from '../evidence';
import { effectiveGoValue, envMismatches, formatEnv, parseEnvLines, parseGoEnvJson } from '../go-env-values';
import type { Check } from '../types';

const ENV_MARK = '--- env ---';
const GOENV_MARK = '--- go env ---';
const SCRIPT =
  `command -v go || echo "go: not found on PATH=$PATH" >&2; ` +
  `echo '${ENV_MARK}'; env; echo '${GOENV_MARK}'; go env -json`;

export const goLoginShellCheck: Check = {
  id: 'go.login-shell',
  description: 'a login shell of the build user, started from an empty environment, finds go with the same environment',
  appliesTo: ['toolchain', 'vm'],
  reads: 'artifact',
  async run(driver, expect) {
    const { name, home } = expect.user;
    const opts = { user: name, loginShell: true, env: { HOME: home, USER: name, LOGNAME: name } };
    const argv = shArgv(SCRIPT);
    const result = await driver.exec(argv, opts);
    const goroot = expect.env.GOROOT ?? '/usr/local/go';

    const [head = '', rest = ''] = result.stdout.split(`${ENV_MARK}\n`);
    const [envText = '', goEnvText = ''] = rest.split(`${GOENV_MARK}\n`);
    const goPath = firstLine(head);
    const shellEnv = parseEnvLines(envText);
    const goEnv = parseGoEnvJson(goEnvText);

    const problems: string[] = [];
    if (goPath !== `${goroot}/bin/go`) {
      problems.push(
        goPath
          ? `the login shell finds go at ${goPath}, not ${goroot}/bin/go`
          : `the login shell does not find go: ${firstLine(result.stderr)}`,
      );
    }
    const keys = Object.keys(expect.env).filter((k) => (goEnv ? k in goEnv : /^(GO|CGO_)/.test(k)));
    // The exported variables matter, not only what go derives: go falls back to $GOROOT/go.env,
    // but scripts and other tools in a login session read the variables themselves.
    const wantExported = Object.fromEntries(keys.map((k) => [k, expect.env[k] ?? '']));
    const exported = envMismatches(shellEnv, wantExported, 'the login shell');
    problems.push(...exported.problems);
    const wantGo = Object.fromEntries(keys.map((k) => [k, effectiveGoValue(k, expect.env)]));
    const derived = goEnv
      ? envMismatches(goEnv, wantGo, 'go env of the login shell')
      : { problems: [`go env -json failed in the login shell (exit ${result.exitCode})`], shown: '' };
    problems.push(...derived.problems);
    const path = shellEnv.PATH ?? '';
    if (!path.split(':').includes(`${goroot}/bin`))
      problems.push(`PATH of the login shell lacks ${goroot}/bin: ${path}`);

    const command = describeCommand(argv, opts);
    return outcome(
      problems,
      [
        {
          command,
          output: `command -v go: ${goPath || '(not found)'}\nPATH=${path}`,
          expected: `${goroot}/bin/go, PATH containing ${goroot}/bin`,
        },
        { command: `${command} (exported variables)`, output: exported.shown, expected: formatEnv(wantExported) },
        {
          command: `${command} (go env -json)`,
          output: goEnv ? derived.shown : execOutput(result),
          expected: formatEnv(wantGo),
        },
      ],
      `go at ${goroot}/bin/go; ${keys.length} variables exported and seen by go`,
    );
  },
};
