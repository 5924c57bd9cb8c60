import { countPemCertificates, GO_CERT_FILES } from '../ca-bundle';
import { execWithEvidence, exitSummary, outcome } from '../evidence';
import { parseProbeOutput } from '../probe-output';
import { PROBE_PATH } from '../../render/probe';
import { checkUser } from '../build-user';
import type { Check, Evidence } from '../types';

export const tlsCaBundleCheck: Check = {
  id: 'tls.ca-bundle',
  description:
    "a CA bundle of parseable certificates is where Go's crypto/x509 looks on this distribution, and Go loads it",
  appliesTo: ['toolchain', 'runtime', 'vm'],
  async run(driver, expect) {
    const path = expect.caBundlePath;
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    if (!GO_CERT_FILES.includes(path))
      problems.push(`${path} is not among the files Go reads on Linux (${GO_CERT_FILES.join(', ')})`);

    const bundle = await driver.readFile(path);
    const counts = bundle ? countPemCertificates(bundle.toString('utf8')) : { parsed: 0, unparsable: 0 };
    if (!bundle) problems.push(`${path} does not exist`);
    else if (counts.parsed === 0) problems.push(`${path} holds no parseable PEM certificate (${bundle.length} bytes)`);
    evidence.push({
      command: `read ${path} and parse its PEM certificates`,
      output: bundle
        ? `${bundle.length} bytes, ${counts.parsed} certificates parsed, ${counts.unparsable} unparsable`
        : 'missing',
      expected: 'at least one certificate',
    });

    // Go's own view: the probe calls x509.SystemCertPool(). Every check container has it; a
    // VM template has it when its provisioning put it there.
    const hasProbe = (await driver.readFile(PROBE_PATH)) !== undefined;
    if (hasProbe) {
      const opts = { user: await checkUser(driver, expect.user.name) };
      const ran = await execWithEvidence(driver, [PROBE_PATH], opts, '"certPool": true');
      evidence.push(ran.evidence);
      const probe = parseProbeOutput(ran.result.stdout);
      if (!probe) problems.push(`${PROBE_PATH} printed no probe report (${exitSummary(ran.result)})`);
      else if (!probe.certPool)
        problems.push(
          `Go cannot load a system certificate pool (${PROBE_PATH}: ${probe.errors.join('; ') || 'certPool false'})`,
        );
    } else if (expect.kind !== 'vm') {
      problems.push(`${PROBE_PATH} is missing from the check container, so Go's view of the bundle cannot be checked`);
    } else {
      evidence.push({ command: `read ${PROBE_PATH}`, output: 'missing', expected: 'optional on a VM template' });
    }
    return outcome(problems, evidence, `${path}: ${counts.parsed} certificates${hasProbe ? ', loaded by Go' : ''}`);
  },
};
