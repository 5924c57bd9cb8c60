import { checkUser } from '../build-user';
import { describeCommand, execOutput, execWithEvidence, exitSummary, firstLine, outcome, shArgv } from '../evidence';
import { BIN_DIR, PROBE_PATH } from '../../render/probe';
import { machineName } from '../elf';
import { ELF_MACHINE, staticBinaryProblems } from '../static-binary';
import type { Check, Driver, Evidence, ReadinessExpectations } from '../types';

// Standard library only (the check container has no network), and only the runtime package:
// println needs nothing else, so the compile stays short even under arm64 emulation.
const PROBE_SOURCE = `package main

import "runtime"

func main() {
\tprintln("static-probe", runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}
`;

// A go.mod-less `go build main.go`, and GOFLAGS emptied so the policy's -mod=... does not apply.
const BUILD_SCRIPT = [
  'set -e',
  'd=$(mktemp -d)',
  'cd "$d"',
  'printf "%s" "$1" > main.go',
  'CGO_ENABLED=0 GOFLAGS= go build -trimpath -ldflags "-s -w" -o probe main.go',
  'echo "$d/probe"',
].join('\n');

export const binaryStaticCheck: Check = {
  id: 'binary.static',
  description:
    'binaries built with CGO_ENABLED=0 -trimpath -ldflags "-s -w" (a fresh probe, the recipe\'s tools and ' +
    "bake's own probe) are static, stripped ELF for the right machine, and run (the tools as the build user)",
  appliesTo: ['toolchain', 'runtime', 'vm'],
  async run(driver, expect) {
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    if (expect.kind !== 'runtime') await checkFreshProbe(driver, expect, problems, evidence);

    // bake's probe (built by the same builder stage as the tools) is in every check container;
    // the recipe's tools are in the toolchain image.
    const shipped = [
      { path: PROBE_PATH, required: expect.kind !== 'vm' },
      ...(expect.kind === 'toolchain'
        ? expect.target.tools.map((t) => ({ path: `${BIN_DIR}/${t.name}`, required: true }))
        : []),
    ];
    for (const { path, required } of shipped) {
      const binary = await driver.readFile(path);
      if (!binary) {
        if (required) problems.push(`${path} is missing`);
        evidence.push({ command: `read ${path}`, output: 'missing', expected: required ? 'a static ELF' : 'optional' });
        continue;
      }
      const verdict = staticBinaryProblems(binary, expect.arch);
      problems.push(...verdict.problems.map((p) => `${path}: ${p}`));
      evidence.push({
        command: `read ${path} and parse its ELF headers`,
        output: verdict.summary,
        expected: staticSummary(expect),
      });
      if (path !== PROBE_PATH) await checkToolRuns(driver, expect, path, problems, evidence);
    }
    return outcome(
      problems,
      evidence,
      `static, stripped ${expect.arch} ELF${expect.kind === 'runtime' ? '' : ' built in the image and run'}`,
    );
  },
};

async function checkFreshProbe(
  driver: Driver,
  expect: ReadinessExpectations,
  problems: string[],
  evidence: Evidence[],
): Promise<void> {
  const opts = { user: await checkUser(driver, expect.user.name) };
  const argv = shArgv(BUILD_SCRIPT, PROBE_SOURCE);
  const built = await driver.exec(argv, opts);
  const command = describeCommand(['sh', '-c', BUILD_SCRIPT, 'sh', '<probe main.go>'], opts);
  evidence.push({ command, output: execOutput(built), expected: 'exit 0 and the path of the built probe' });
  const path = firstLine(built.stdout);
  if (built.exitCode !== 0 || !path.startsWith('/')) {
    problems.push(`building the probe failed (${exitSummary(built)})`);
    return;
  }
  const binary = await driver.readFile(path);
  if (!binary) {
    problems.push(`the built probe ${path} cannot be read back`);
    return;
  }
  const verdict = staticBinaryProblems(binary, expect.arch);
  problems.push(...verdict.problems.map((p) => `built probe: ${p}`));
  evidence.push({
    command: `copy ${path} out and parse its ELF headers`,
    output: verdict.summary,
    expected: staticSummary(expect),
  });

  const want = `static-probe go${expect.goVersion} linux/${expect.arch}`;
  // println writes to stderr.
  const ran = await execWithEvidence(driver, [path], opts, `stderr: ${want}`);
  evidence.push(ran.evidence);
  if (ran.result.exitCode !== 0 || ran.result.stderr.trim() !== want) {
    problems.push(`the built probe did not run as expected (${exitSummary(ran.result)})`);
  }
}

/** How long a tool may take to print its version or usage. */
const TOOL_RUN_TIMEOUT_MS = 30_000;

/**
 * A tool runs when `--version` exits 0, or `-h` exits 0 or 2 (Go's flag package and most CLIs
 * print their usage with one of those) having printed something: the binary started, its
 * runtime works, and the build user may execute it.
 */
async function checkToolRuns(
  driver: Driver,
  expect: ReadinessExpectations,
  path: string,
  problems: string[],
  evidence: Evidence[],
): Promise<void> {
  const opts = { user: await checkUser(driver, expect.user.name), timeoutMs: TOOL_RUN_TIMEOUT_MS };
  const version = await execWithEvidence(driver, [path, '--version'], opts, 'exit 0');
  evidence.push(version.evidence);
  if (version.result.exitCode === 0) return;
  const help = await execWithEvidence(driver, [path, '-h'], opts, 'exit 0 or 2 with its usage');
  evidence.push(help.evidence);
  const said = (help.result.stdout + help.result.stderr).trim() !== '';
  if ((help.result.exitCode === 0 || help.result.exitCode === 2) && said) return;
  problems.push(
    `${path} does not run as ${opts.user ?? "the image's user"}: --version ${exitSummary(version.result)}; ` +
      `-h ${exitSummary(help.result)}`,
  );
}

function staticSummary(expect: ReadinessExpectations): string {
  return `${machineName(ELF_MACHINE[expect.arch])}; no PT_INTERP; no DT_NEEDED; no .symtab`;
}
