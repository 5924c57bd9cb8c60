/** systemd unit types a recipe may name; a bare name ("chrony") means a service. */
const UNIT_SUFFIX = /\.(service|socket|timer|path|mount|target)$/;

export function unitName(name: string): string {
  return UNIT_SUFFIX.test(name) ? name : `${name}.service`;
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
