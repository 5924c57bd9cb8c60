import { BakeError, ExitCode } from '../../common/errors';

/** systemd unit types a recipe may name; a bare name ("chrony") means a service. */
const UNIT_SUFFIX = /\.(service|socket|timer|path|mount|target)$/;
/**
 * The characters systemd allows in unit names (letters, digits, `:-_.\` and `@` for
 * instances), at most 255: such a name is one path segment in /etc/systemd/system, never a
 * path of its own. A leading `-` is legal (`-.mount`), so the scripts pass `--` before units.
 */
const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]{1,255}$/;

export function unitName(name: string): string {
  const unit = UNIT_SUFFIX.test(name) ? name : `${name}.service`;
  if (!UNIT_NAME.test(unit) || unit.startsWith('.'))
    throw new BakeError(`unit name ${JSON.stringify(unit)} is not a systemd unit name`, ExitCode.InvalidRecipe);
  return unit;
}

/** The unit bake writes on every VM template. */
export const GO_ENV_UNIT = 'go-env.service';
export const GO_ENV_UNIT_PATH = `/etc/systemd/system/${GO_ENV_UNIT}`;
/** The EnvironmentFile of go-env.service: what services (and the readiness checks' non-login commands) see. */
export const DEFAULT_GO_ENV_PATH = '/etc/default/go-env';

/** The time-sync unit of a recipe: the chrony unit it enables, else the family's name for it. */
export function chronyUnit(enable: string[], family: 'debian' | 'rhel'): string {
  const named = enable.map(unitName).find((u) => /^chronyd?\.service$/.test(u));
  return named ?? (family === 'rhel' ? 'chronyd.service' : 'chrony.service');
}
