import type { CustomCheck } from '../../recipe/types';
import type { Check, CheckOutcome, Driver } from '../types';
import { runCommandCheck } from './command-check';
import { runEnvCheck } from './env-check';
import { runFileCheck } from './file-check';
import { runMetadataCheck } from './metadata-check';
import { runVersionCheck } from './version-check';

/** Checks that say nothing about which kinds they are for run on the toolchain image, where teams build. */
export const DEFAULT_CUSTOM_KINDS: NonNullable<CustomCheck['kinds']> = ['toolchain'];

/** A recipe's (or an imported suite's) check as the suite runs it, beside bake's own. */
export function customCheck(spec: CustomCheck): Check {
  return {
    id: spec.id,
    description: spec.description,
    appliesTo: [...(spec.kinds ?? DEFAULT_CUSTOM_KINDS)],
    origin: spec.origin ?? 'recipe',
    run: (driver) => runSpec(driver, spec),
  };
}

function runSpec(driver: Driver, spec: CustomCheck): Promise<CheckOutcome> {
  switch (spec.kind) {
    case 'command':
      return runCommandCheck(driver, spec);
    case 'file':
      return runFileCheck(driver, spec);
    case 'env':
      return runEnvCheck(driver, spec);
    case 'metadata':
      return runMetadataCheck(driver, spec);
    case 'version':
      return runVersionCheck(driver, spec);
  }
}
