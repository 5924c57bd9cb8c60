import { derBase64, GO_CERT_FILES, pemCertificates } from '../ca-bundle';
import { describeCommand, execWithEvidence, exitSummary, outcome } from '../evidence';
import { parseProbeOutput } from '../probe-output';
import { PROBE_PATH } from '../../render/probe';
import { checkUser } from '../build-user';
import type { Check, Evidence } from '../types';

export const tlsCaBundleCheck: Check = {
  id: 'tls.ca-bundle',
  description:
    "a CA bundle of parseable certificates is where Go's crypto/x509 looks on this distribution, and Go loads it; " +
    "the site's CAs (ca.extra) are in it and in Go's system pool",
  appliesTo: ['toolchain', 'runtime', 'vm'],
  reads: 'artifact',
  async run(driver, expect) {
    const path = expect.caBundlePath;
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    if (!GO_CERT_FILES.includes(path))
      problems.push(`${path} is not among the files Go reads on Linux (${GO_CERT_FILES.join(', ')})`);

    const bundle = await driver.readFile(path);
    const certs = bundle ? pemCertificates(bundle.toString('utf8')) : { fingerprints: [], unparsable: 0 };
    const counts = { parsed: certs.fingerprints.length, unparsable: certs.unparsable };
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
    // The site's CAs: installed the distribution's way in both image kinds (VM templates do not
    // install them yet, so they are not asked for there).
    const extra = expect.kind === 'vm' ? [] : (expect.target.ca?.extra ?? []);
    if (extra.length) {
      const missing = extra.filter((c) => !certs.fingerprints.includes(c.sha256));
      for (const c of missing) problems.push(`${path} does not hold the site's CA ${c.subject} (${c.file})`);
      evidence.push({
        command: `look for the site's CAs (ca.extra) among the certificates of ${path}`,
        output: extra.map((c) => `${missing.includes(c) ? 'missing' : 'present'} ${c.sha256} ${c.subject}`).join('\n'),
        expected: 'every one present',
      });
      if (hasProbe) {
        const argv = [PROBE_PATH, 'trusts', ...extra.map((c) => derBase64(c.pem))];
        const opts = { user: await checkUser(driver, expect.user.name) };
        const ran = await execWithEvidence(driver, argv, opts, 'trusted <sha256>, one per CA');
        // The argv holds whole certificates: the evidence names them by hash instead.
        evidence.push({
          ...ran.evidence,
          command: describeCommand([PROBE_PATH, 'trusts', `<${extra.length} ca.extra certificates>`], opts),
        });
        for (const c of extra) {
          const line = ran.result.stdout.split('\n').find((l) => l.includes(c.sha256));
          if (!line?.startsWith('trusted '))
            problems.push(
              `Go's x509.SystemCertPool does not load the site's CA ${c.subject}` +
                ` (${line?.replace(/^NOT TRUSTED \S+: /, '') ?? exitSummary(ran.result)})`,
            );
        }
      }
    }
    const extraNote = extra.length ? `, the site's ${extra.length} CA(s) among them` : '';
    return outcome(
      problems,
      evidence,
      `${path}: ${counts.parsed} certificates${extraNote}${hasProbe ? ', loaded by Go' : ''}`,
    );
  },
};
