import { outcome } from '../evidence';
import {
  assignmentsIn,
  containsPemPrivateKey,
  contentCredentialKinds,
  FILE_RULES,
  SECRET_NAME,
  secretKindsIn,
} from '../secret-patterns';
import type { Check, Driver, Evidence, ReadinessExpectations } from '../types';

/** Content is scanned for private keys in regular files up to this size (keys are tiny). */
const CONTENT_SCAN_MAX = 1024 * 1024;

export const secretsNoneCheck: Check = {
  id: 'secrets.none',
  description:
    'no layer, label, env var or history entry carries a credential (netrc, tokens, Authorization headers, ' +
    'private keys), by file name or by content, in any layer (deleted later or not)',
  appliesTo: ['toolchain', 'runtime'],
  reads: 'image',
  async run(driver, expect) {
    const findings: string[] = [];
    const evidence: Evidence[] = [];

    if (driver.imageConfig) {
      const config = await driver.imageConfig();
      const configFindings = [
        ...namedValues('env', config.env),
        ...namedValues('label', config.labels),
        ...config.history.flatMap((h, i) => historyFindings(i, h.createdBy)),
      ];
      findings.push(...configFindings);
      evidence.push({
        command:
          `scan image config: ${Object.keys(config.env).length} env vars, ` +
          `${Object.keys(config.labels).length} labels, ${config.history.length} history entries`,
        output: configFindings.join('\n') || 'nothing found',
        expected: 'nothing found',
      });
    } else {
      findings.push('the image config cannot be read through this driver');
    }

    if (driver.layerFiles) {
      const scan = await scanLayers(driver, expect);
      findings.push(...scan.findings);
      evidence.push({
        command:
          `scan layer files: ${scan.files} entries in ${scan.layers} layers, ` +
          `content of ${scan.contentScanned} small files (skipped: */testdata/*, content under ${goroot(expect)})`,
        output: scan.findings.join('\n') || 'nothing found',
        expected: 'nothing found',
      });
    } else {
      findings.push("the artifact's files cannot be listed through this driver");
    }
    return outcome(findings, evidence, 'no credential material in config, history or layers');
  },
};

function namedValues(where: 'env' | 'label', values: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const kinds = secretKindsIn(value);
    if (SECRET_NAME.test(name) && value !== '') kinds.unshift('secret-named variable with a value');
    if (kinds.length) out.push(`${where} ${name}: ${kinds.join(', ')} (value redacted, ${value.length} characters)`);
  }
  return out;
}

function historyFindings(index: number, createdBy: string): string[] {
  const kinds = secretKindsIn(createdBy);
  for (const { name, value } of assignmentsIn(createdBy)) {
    if (SECRET_NAME.test(name) && value !== '') kinds.push(`${name}=<redacted> (build argument or ENV)`);
  }
  return kinds.length ? [`history entry ${index}: ${kinds.join(', ')}`] : [];
}

function goroot(expect: ReadinessExpectations): string {
  return (expect.env.GOROOT ?? '/usr/local/go').replace(/\/$/, '');
}

async function scanLayers(driver: Driver, expect: ReadinessExpectations) {
  const findings: string[] = [];
  const layers = new Set<string>();
  let files = 0;
  let contentScanned = 0;
  const gorootPrefix = `${goroot(expect)}/`;
  for await (const file of driver.layerFiles!()) {
    files++;
    layers.add(file.layer);
    // Test fixtures ship deliberately public keys and fake tokens (Go's own src has dozens under
    // testdata/): they protect nothing, and flagging them would make every toolchain image fail.
    if (file.type !== 'file' || file.path.includes('/testdata/') || /\/\.wh\.[^/]*$/.test(file.path)) continue;
    const where = `${file.layer} ${file.path}`;
    // What the file's name already gave away is said once, not again for its content.
    const byName = new Set<string>();
    for (const rule of FILE_RULES) {
      if (!rule.path.test(file.path) || file.size === 0) continue;
      if (!rule.content) findings.push(`${where}: ${rule.kind} (${file.size} bytes)`);
      else if (file.size <= CONTENT_SCAN_MAX && rule.content.test((await file.read()).toString('utf8')))
        findings.push(`${where}: ${rule.kind}`);
      else continue;
      byName.add(rule.kind);
    }
    // GOROOT comes from the verified distribution, whose sources embed public test keys outside
    // testdata too (crypto/tls tests, net/http/internal/testcert).
    if (file.size > 0 && file.size <= CONTENT_SCAN_MAX && !file.path.startsWith(gorootPrefix)) {
      contentScanned++;
      const content = await file.read();
      if (containsPemPrivateKey(content)) findings.push(`${where}: PEM private key`);
      for (const kind of contentCredentialKinds(content))
        if (!byName.has(kind)) findings.push(`${where}: ${kind} (in its content)`);
    }
  }
  return { findings: [...new Set(findings)], files, layers: layers.size, contentScanned };
}
