import type { CustomCheck } from '../../recipe/types';
import { shownValue } from '../../recipe/recipe-errors';
import { clip, outcome } from '../evidence';
import type { CheckOutcome, Driver, ImageConfig } from '../types';
import { describeMatch, shownName, textProblems, toTextMatch } from './text-match';

export type MetadataCheckSpec = Extract<CustomCheck, { kind: 'metadata' }>;

/** `kind: metadata`: the image config's labels, env, user, workdir, entrypoint, cmd, ports and volumes. */
export async function runMetadataCheck(driver: Driver, spec: MetadataCheckSpec): Promise<CheckOutcome> {
  if (!driver.imageConfig)
    return outcome(['this artifact has no image config (metadata checks are for images)'], [], '');
  const config = await driver.imageConfig();
  const problems: string[] = [];
  const expected: string[] = [];
  const shown: string[] = [];
  for (const [field, values] of [
    ['label', spec.labels],
    ['env', spec.env],
  ] as const) {
    const actual = field === 'label' ? config.labels : config.env;
    for (const [key, value] of Object.entries(values ?? {})) {
      const match = toTextMatch(value);
      const what = `${field} ${shownName(key)}`;
      expected.push(describeMatch(match, what));
      shown.push(`${what}: ${key in actual ? JSON.stringify(actual[key]) : '(not set)'}`);
      if (!(key in actual)) problems.push(`${what} is not set`);
      else problems.push(...textProblems(actual[key], match, what));
    }
  }
  const scalar = (what: string, want: string | undefined, actual: string) => {
    if (want === undefined) return;
    expected.push(`${what} ${JSON.stringify(want)}`);
    shown.push(`${what}: ${JSON.stringify(actual)}`);
    if (actual !== want) problems.push(`${what} is ${shownValue(actual)}, expected ${shownValue(want)}`);
  };
  scalar('user', spec.user, config.user);
  scalar('workdir', spec.workdir, config.workingDir);
  for (const field of ['entrypoint', 'cmd'] as const) {
    const want = spec[field];
    if (want === undefined) continue;
    const actual = config[field] ?? [];
    expected.push(`${field} ${JSON.stringify(want)}`);
    shown.push(`${field}: ${JSON.stringify(actual)}`);
    if (JSON.stringify(actual) !== JSON.stringify(want))
      problems.push(`${field} is ${shownValue(JSON.stringify(actual))}, expected ${shownValue(JSON.stringify(want))}`);
  }
  listed(config, 'exposedPorts', (spec.exposedPorts ?? []).map(withProtocol), problems, expected, shown);
  listed(config, 'volumes', spec.volumes ?? [], problems, expected, shown);
  const line = expected.join('; ');
  return outcome(problems, [{ command: 'image config', output: clip(shown.join('\n')), expected: clip(line) }], line);
}

function listed(
  config: ImageConfig,
  field: 'exposedPorts' | 'volumes',
  wanted: string[],
  problems: string[],
  expected: string[],
  shown: string[],
): void {
  if (!wanted.length) return;
  const actual = config[field] ?? [];
  expected.push(`${field} include ${wanted.join(', ')}`);
  shown.push(`${field}: ${JSON.stringify(actual)}`);
  for (const w of wanted) if (!actual.includes(w)) problems.push(`${field} do not include ${shownValue(w)}`);
}

/** The config keys ports as "8080/tcp"; a recipe may write "8080". */
function withProtocol(port: string): string {
  return port.includes('/') ? port : `${port}/tcp`;
}
