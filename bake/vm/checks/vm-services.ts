import { outcome } from '../../readiness/evidence';
import type { Check } from '../../readiness/types';
import { unitName } from '../provision/unit-names';
import { unitStates } from './unit-state';

export const vmServicesCheck: Check = {
  id: 'vm.services',
  description: "the recipe's services are enabled, and those it names as unneeded are not",
  appliesTo: ['vm'],
  async run(driver, expect) {
    const enable = expect.target.vm.services.enable.map(unitName);
    const disable = expect.target.vm.services.disable.map(unitName);
    if (enable.length + disable.length === 0) {
      return outcome(
        [],
        [{ command: '(none)', output: '', expected: 'the recipe lists no services' }],
        'the recipe lists no services',
      );
    }
    const { states, evidence } = await unitStates(driver, [...enable, ...disable]);
    const problems = [
      ...enable.filter((u) => !states.get(u)!.enabled).map((u) => `${u} is not enabled`),
      ...disable.filter((u) => states.get(u)!.enabled).map((u) => `${u} is enabled, and the recipe disables it`),
      ...disable.filter((u) => states.get(u)!.active).map((u) => `${u} is running, and the recipe disables it`),
    ];
    const expected = [
      ...enable.map((u) => `${u}: enabled`),
      ...disable.map((u) => `${u}: not enabled (or not installed)`),
    ].join('\n');
    return outcome(problems, [{ ...evidence, expected }], `${enable.length} enabled, ${disable.length} not enabled`);
  },
};
