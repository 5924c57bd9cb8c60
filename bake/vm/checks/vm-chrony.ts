import { execWithEvidence, outcome } from '../../readiness/evidence';
import type { Check } from '../../readiness/types';
import { chronyUnit } from '../provision/unit-names';
import { unitStates } from './unit-state';

export const vmChronyCheck: Check = {
  id: 'vm.chrony',
  description: 'chrony keeps the clock in sync: installed, and its unit enabled (and active where systemd runs)',
  appliesTo: ['vm'],
  async run(driver, expect) {
    const unit = chronyUnit(expect.target.vm.services.enable, expect.target.family);
    const problems: string[] = [];
    const binary = await execWithEvidence(
      driver,
      ['sh', '-c', 'command -v chronyd'],
      { user: 'root' },
      'the path of chronyd',
    );
    if (binary.result.exitCode !== 0) problems.push('chronyd is not installed');
    const { states, evidence } = await unitStates(driver, [unit]);
    const state = states.get(unit)!;
    if (!state.installed) problems.push(`${unit} is not installed`);
    else if (!state.enabled) problems.push(`${unit} is not enabled`);
    if (state.active === false) problems.push(`${unit} is not active`);
    return outcome(
      problems,
      [binary.evidence, { ...evidence, expected: `${unit} yes yes yes (or - where systemd does not run)` }],
      `${unit} enabled${state.active ? ' and active' : ''}`,
    );
  },
};
