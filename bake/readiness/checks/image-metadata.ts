import { outcome } from '../evidence';
import { redactSecrets } from '../secret-patterns';
import type { Check, Evidence } from '../types';

const MiB = 1024 * 1024;

export const imageMetadataCheck: Check = {
  id: 'image.metadata',
  description:
    'required labels are present with the planned values, the platform is right, ' +
    "and the size is within the recipe's budget",
  appliesTo: ['toolchain', 'runtime'],
  reads: 'image',
  async run(driver, expect) {
    if (!driver.imageConfig) return outcome(['the image config cannot be read through this driver'], [], '');
    const config = await driver.imageConfig();
    const problems: string[] = [];
    const evidence: Evidence[] = [];

    const shown: string[] = [];
    for (const [name, want] of Object.entries(expect.requiredLabels)) {
      const got = config.labels[name];
      shown.push(got === undefined ? `${name} (missing)` : `${name}=${redactSecrets(got)}`);
      if (got === undefined) problems.push(`label ${name} is missing`);
      else if (got !== want) problems.push(`label ${name} is "${redactSecrets(got)}", expected "${want}"`);
    }
    evidence.push({
      command: 'image config Labels',
      output: shown.join('\n'),
      expected: Object.entries(expect.requiredLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    });

    const platform = `${config.os}/${config.architecture}`;
    if (platform !== `linux/${expect.arch}`)
      problems.push(`the image platform is ${platform}, expected linux/${expect.arch}`);
    evidence.push({ command: 'image config Os/Architecture', output: platform, expected: `linux/${expect.arch}` });

    const sizeMiB = config.sizeBytes / MiB;
    if (sizeMiB > expect.sizeBudgetMB)
      problems.push(
        `the image is ${sizeMiB.toFixed(1)} MiB, over the ${expect.kind} budget of ${expect.sizeBudgetMB} MiB`,
      );
    evidence.push({
      command: 'image size (all layers, uncompressed)',
      output: `${config.sizeBytes} bytes (${sizeMiB.toFixed(1)} MiB)`,
      expected: `at most ${expect.sizeBudgetMB} MiB`,
    });

    const labelCount = Object.keys(expect.requiredLabels).length;
    return outcome(
      problems,
      evidence,
      `${labelCount} labels as planned; ${platform}; ${sizeMiB.toFixed(0)} of ${expect.sizeBudgetMB} MiB`,
    );
  },
};
