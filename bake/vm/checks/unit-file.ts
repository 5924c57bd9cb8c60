import type { UnitFile, ParsedUnitFile } from './types';

/** Parses the unit syntax systemd accepts for the files bake writes (no line continuations). */
export function parseUnitFile(text: string): ParsedUnitFile {
  const unit: UnitFile = {};
  const problems: string[] = [];
  let section: string | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z][A-Za-z0-9 -]*)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      unit[section] ??= [];
      return;
    }
    const eq = line.indexOf('=');
    if (!section || eq <= 0 || line.endsWith('\\')) {
      problems.push(`line ${index + 1} is not an assignment in a section: ${raw}`);
      return;
    }
    unit[section].push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  });
  return { unit, problems };
}

/** Every value of `key` in `section` (an empty assignment resets the list, as systemd does). */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  let out: string[] = [];
  for (const entry of unit[section] ?? []) {
    if (entry.key !== key) continue;
    out = entry.value === '' ? [] : [...out, entry.value];
  }
  return out;
}

/**
 * What go-env.service must say to do its job (seeds: a oneshot that stays "active" and carries
 * /etc/default/go-env, started in the normal boot). Returns what is missing or wrong.
 */
export function goEnvUnitProblems(unit: UnitFile, environmentFile: string): string[] {
  const problems: string[] = [];
  const one = (section: string, key: string) => unitValues(unit, section, key).at(-1);
  for (const section of ['Unit', 'Service', 'Install']) if (!unit[section]) problems.push(`no [${section}] section`);
  if (one('Service', 'Type') !== 'oneshot')
    problems.push(`Type=${one('Service', 'Type') ?? '(unset)'}, expected oneshot`);
  if (!/^(yes|true|on|1)$/.test(one('Service', 'RemainAfterExit') ?? '')) problems.push('RemainAfterExit is not yes');
  if (!unitValues(unit, 'Service', 'EnvironmentFile').includes(`-${environmentFile}`))
    problems.push(`no EnvironmentFile=-${environmentFile}`);
  const exec = unitValues(unit, 'Service', 'ExecStart');
  if (exec.length === 0 || !exec.every((e) => /^[-@:+!]*\//.test(e)))
    problems.push('ExecStart is missing or not an absolute path');
  const wantedBy = unitValues(unit, 'Install', 'WantedBy').flatMap((v) => v.split(/\s+/));
  if (!wantedBy.includes('multi-user.target'))
    problems.push('not WantedBy=multi-user.target, so enabling it would not start it at boot');
  return problems;
}
