import { describeCommand, execOutput, shArgv } from '../../readiness/evidence';
import type { Driver, Evidence } from '../../readiness/types';
import type { UnitState } from './types';

// A unit linked under another name (an alias) is enabled if the unit it links to is.
const ENABLED_THROUGH_ALIAS =
  'if [ -L "$l" ]; then r=$(readlink -f "$l"); ' +
  '[ "$r" != /dev/null ] && [ "${r##*/}" != "$1" ] && enabled "${r##*/}" && return 0; fi';

// File inspection, so the answer is the same on a booted host and in a container without
// systemd; `systemctl is-active` only where systemd runs.
const SCRIPT = `enabled() {
  for l in /etc/systemd/system/*.wants/"$1" /etc/systemd/system/*.requires/"$1"; do [ -e "$l" ] && return 0; done
  l=/etc/systemd/system/$1
  ${ENABLED_THROUGH_ALIAS}
  return 1
}
for u in "$@"; do
  i=no; for d in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do [ -e "$d/$u" ] && i=yes; done
  e=no; enabled "$u" && e=yes
  a=-; if [ -d /run/systemd/system ]; then a=no; systemctl is-active --quiet -- "$u" && a=yes; fi
  echo "$u $i $e $a"
done`;

/** The state of each unit on the host, with the command as evidence. */
export async function unitStates(
  driver: Driver,
  units: string[],
): Promise<{ states: Map<string, UnitState>; evidence: Evidence }> {
  const argv = shArgv(SCRIPT, ...units);
  const result = await driver.exec(argv, { user: 'root' });
  const states = new Map<string, UnitState>();
  for (const line of result.stdout.split('\n')) {
    const [unit, installed, enabled, active] = line.trim().split(' ');
    if (!unit || !units.includes(unit)) continue;
    states.set(unit, {
      installed: installed === 'yes',
      enabled: enabled === 'yes',
      ...(active === '-' ? {} : { active: active === 'yes' }),
    });
  }
  if (result.exitCode !== 0 || states.size !== units.length)
    throw new Error(`cannot read the state of ${units.join(', ')}: ${execOutput(result)}`);
  return {
    states,
    evidence: {
      command: describeCommand(['sh', '-c', '<unit state by file inspection>', 'sh', ...units], { user: 'root' }),
      output: execOutput(result),
      expected: '',
    },
  };
}
