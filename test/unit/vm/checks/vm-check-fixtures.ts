import { silentLogger } from '../../../../bake/common/log';
import type { Check, ReadinessExpectations } from '../../../../bake/readiness/types';
import type { Target } from '../../../../bake/recipe/types';
import { expectations, FakeDriver } from '../../readiness/fake-driver';

/** Expectations of a VM template of a debian12-amd64-like target, with the recipe's VM settings overridden. */
export const vm = (
  overrides: Partial<Target['vm']> = {},
  family: Target['family'] = 'debian',
): ReadinessExpectations => {
  const base = expectations({ kind: 'vm' });
  // The assertion is needed: without it the literals widen (architecture: string).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const target = {
    ...base.target,
    family,
    vm: {
      sourceAmi: { name: 'x', owners: ['self'], architecture: 'x86_64' },
      instanceType: 't3.medium',
      rootVolumeGiB: 16,
      services: { enable: ['chrony'], disable: ['postfix', 'rpcbind'] },
      selinux: 'none',
      ...overrides,
    },
  } as Target;
  return { ...base, target };
};

/** Answers the unit-state script with "<unit> <installed> <enabled> <active>" per unit. */
export function units(driver: FakeDriver, states: Record<string, string>): FakeDriver {
  return driver.on(/enabled\(\)/, (argv) => ({
    stdout: argv
      .slice(4)
      .map((u) => `${u} ${states[u] ?? 'no no -'}\n`)
      .join(''),
  }));
}

export const run = (check: Check, driver: FakeDriver, expect: ReadinessExpectations) =>
  check.run(driver, expect, silentLogger);
