import { execWithEvidence, exitSummary, firstLine, outcome } from '../evidence';
import type { Check } from '../types';

export const goVersionCheck: Check = {
  id: 'go.version',
  description: '`go version` prints the planned Go version for linux/ARCH',
  appliesTo: ['toolchain', 'vm'],
  reads: 'artifact',
  async run(driver, expect) {
    const want = `go${expect.goVersion} linux/${expect.arch}`;
    const { result, evidence } = await execWithEvidence(driver, ['go', 'version'], {}, `go version ${want}`);
    const problems: string[] = [];
    const match = /^go version (go\S+) (\S+)/.exec(result.stdout.trim());
    if (result.exitCode !== 0) problems.push(`go version failed (${exitSummary(result)})`);
    else if (!match) problems.push(`unexpected output: ${firstLine(result.stdout)}`);
    else {
      if (match[1] !== `go${expect.goVersion}`)
        problems.push(`Go version is ${match[1]}, planned go${expect.goVersion}`);
      if (match[2] !== `linux/${expect.arch}`) problems.push(`platform is ${match[2]}, expected linux/${expect.arch}`);
    }
    return outcome(problems, [evidence], want);
  },
};
