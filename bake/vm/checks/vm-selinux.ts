import { execWithEvidence, outcome } from '../../readiness/evidence';
import type { Check, Evidence } from '../../readiness/types';

const CONFIG = '/etc/selinux/config';

export const vmSelinuxCheck: Check = {
  id: 'vm.selinux',
  description:
    'SELinux is in the mode the recipe says (enforcing on the rhel family), configured and, where it runs, in effect',
  appliesTo: ['vm'],
  async run(driver, expect) {
    const want = expect.target.vm.selinux;
    if (want === 'none') {
      return outcome(
        [],
        [{ command: '(none)', output: '', expected: 'the recipe leaves SELinux as the distribution ships it' }],
        'not managed by the recipe',
      );
    }
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const config = (await driver.readFile(CONFIG))?.toString('utf8');
    const configured = config === undefined ? undefined : /^SELINUX=(\S*)\s*$/m.exec(config)?.[1];
    evidence.push({
      command: `read ${CONFIG}`,
      output: config === undefined ? 'missing' : `SELINUX=${configured ?? '(unset)'}`,
      expected: `SELINUX=${want}`,
    });
    if (configured !== want)
      problems.push(
        config === undefined
          ? `${CONFIG} is missing`
          : `${CONFIG} says SELINUX=${configured ?? '(unset)'}, the recipe ${want}`,
      );

    const now = await execWithEvidence(
      driver,
      ['sh', '-c', 'getenforce; test -e /.autorelabel && echo relabel-pending || true'],
      { user: 'root' },
      want,
    );
    const [mode = '', pending] = now.result.stdout.trim().split('\n');
    evidence.push(now.evidence);
    // Turning SELinux on from Disabled takes a reboot (with a relabel): the AMI boots in the mode configured.
    const takesEffectAtBoot = mode === 'Disabled' && pending === 'relabel-pending';
    if (now.result.exitCode === 0 && mode.toLowerCase() !== want && !takesEffectAtBoot)
      problems.push(`SELinux is ${mode} now, the recipe says ${want}`);
    return outcome(
      problems,
      evidence,
      `SELINUX=${want}${takesEffectAtBoot ? ' from the next boot (relabel pending)' : ''}`,
    );
  },
};
