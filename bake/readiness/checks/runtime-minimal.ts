import { describeCommand, execOutput, outcome, shArgv } from '../evidence';
import type { Check, Evidence } from '../types';

/** Compilers a runtime image must not carry: it runs binaries, it does not build them. */
const COMPILERS = ['go', 'gcc', 'cc', 'c++', 'g++', 'clang'];

// Prints one "compiler PATH" or "cache PATH" line per offending thing, nothing when clean.
const SCRIPT = [
  'goroot=$1; shift',
  'for c in "$@"; do p=$(command -v "$c" 2>/dev/null) && echo "compiler $p"; done',
  '[ -e "$goroot/bin/go" ] && echo "compiler $goroot/bin/go"',
  'for f in /var/cache/apt/archives/*.deb; do [ -e "$f" ] && echo "cache $f"; done',
  '[ -d /var/lib/apt/lists ] && find /var/lib/apt/lists -type f ! -name lock -print | head -n 3 | sed "s/^/cache /"',
  'for d in /var/cache/yum /var/cache/dnf; do ' +
    '[ -d "$d" ] && [ -n "$(find "$d" -type f -print | head -n 1)" ] && echo "cache $d"; done',
  'exit 0',
].join('\n');

export const runtimeMinimalCheck: Check = {
  id: 'runtime.minimal',
  description: 'the runtime image has CA certificates and tzdata, and no compiler or package manager caches',
  appliesTo: ['runtime'],
  async run(driver, expect) {
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const argv = shArgv(SCRIPT, expect.env.GOROOT ?? '/usr/local/go', ...COMPILERS);
    const result = await driver.exec(argv, {});
    const found = result.stdout.split('\n').filter((l) => /^(compiler|cache) /.test(l));
    if (result.exitCode !== 0) problems.push(`the scan failed (exit ${result.exitCode})`);
    const compilers = found.filter((l) => l.startsWith('compiler ')).map((l) => l.slice(9));
    const caches = found.filter((l) => l.startsWith('cache ')).map((l) => l.slice(6));
    if (compilers.length) problems.push(`compilers present: ${compilers.join(', ')}`);
    if (caches.length) problems.push(`package manager caches left behind: ${caches.join(', ')}`);
    evidence.push({
      command: describeCommand(argv),
      output: execOutput(result),
      expected: 'exit 0 and no output (no compiler, no package caches)',
    });

    const utc = await driver.readFile('/usr/share/zoneinfo/UTC');
    const tzOk = !!utc && utc.subarray(0, 4).toString('latin1') === 'TZif';
    if (!tzOk)
      problems.push(utc ? '/usr/share/zoneinfo/UTC is not a TZif file' : 'tzdata is missing (/usr/share/zoneinfo/UTC)');
    evidence.push({
      command: 'read /usr/share/zoneinfo/UTC',
      output: utc ? `${utc.length} bytes, magic ${JSON.stringify(utc.subarray(0, 4).toString('latin1'))}` : 'missing',
      expected: 'a TZif file',
    });

    const bundle = await driver.readFile(expect.caBundlePath);
    if (!bundle || bundle.length === 0)
      problems.push(`the CA bundle ${expect.caBundlePath} is ${bundle ? 'empty' : 'missing'}`);
    evidence.push({
      command: `read ${expect.caBundlePath}`,
      output: bundle ? `${bundle.length} bytes` : 'missing',
      expected: 'a non-empty CA bundle',
    });

    return outcome(problems, evidence, 'CA bundle and tzdata present; no compiler, no package caches');
  },
};
