import { spawnSync } from 'node:child_process';
import { unitStates } from '../../../../bake/vm/checks/unit-state';
import { FakeDriver } from '../../readiness/fake-driver';

/** Answers the unit-state script with the given lines. */
const answering = (stdout: string, exitCode = 0) => new FakeDriver().on(/enabled\(\)/, { stdout, exitCode });

describe('unitStates', () => {
  test('installed, enabled, and active only where systemd runs', async () => {
    const driver = answering('chrony.service yes yes yes\npostfix.service yes no -\nrpcbind.service no no no\n');
    const { states, evidence } = await unitStates(driver, ['chrony.service', 'postfix.service', 'rpcbind.service']);
    expect(Object.fromEntries(states)).toEqual({
      'chrony.service': { installed: true, enabled: true, active: true },
      'postfix.service': { installed: true, enabled: false },
      'rpcbind.service': { installed: false, enabled: false, active: false },
    });
    expect(evidence.command).toContain('<unit state by file inspection>');
    expect(driver.calls[0].opts).toEqual({ user: 'root' });
    // The units are arguments of the script, never part of its text.
    expect(driver.calls[0].argv.slice(-3)).toEqual(['chrony.service', 'postfix.service', 'rpcbind.service']);
  });

  test('lines of other units are ignored; a unit without an answer, or a failed script, is an error', async () => {
    await expect(unitStates(answering('other.service yes yes -\n'), ['chrony.service'])).rejects.toThrow(
      /^cannot read the state of chrony.service: /,
    );
    await expect(unitStates(answering('chrony.service yes yes -\n', 1), ['chrony.service'])).rejects.toThrow(
      'cannot read the state of chrony.service',
    );
  });

  test('the script is valid sh', async () => {
    const driver = answering('a.service no no -\n');
    await unitStates(driver, ['a.service']);
    const [, , script] = driver.calls[0].argv;
    expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
  });
});
