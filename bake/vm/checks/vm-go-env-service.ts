import { outcome } from '../../readiness/evidence';
import type { Check } from '../../readiness/types';
import { GO_ENV_UNIT } from '../provision/unit-names';
import { unitStates } from './unit-state';

export const vmGoEnvServiceCheck: Check = {
  id: 'vm.go-env-service',
  description: `${GO_ENV_UNIT} is enabled (and active where systemd runs), so every boot carries the Go environment`,
  appliesTo: ['vm'],
  async run(driver) {
    const { states, evidence } = await unitStates(driver, [GO_ENV_UNIT]);
    const state = states.get(GO_ENV_UNIT)!;
    const problems: string[] = [];
    if (!state.installed) problems.push(`${GO_ENV_UNIT} is not installed`);
    else if (!state.enabled) problems.push(`${GO_ENV_UNIT} is not enabled`);
    if (state.active === false) problems.push(`${GO_ENV_UNIT} is not active`);
    return outcome(
      problems,
      [{ ...evidence, expected: `${GO_ENV_UNIT} yes yes yes (or - where systemd does not run)` }],
      `${GO_ENV_UNIT} enabled${state.active ? ' and active' : ''}`,
    );
  },
};
