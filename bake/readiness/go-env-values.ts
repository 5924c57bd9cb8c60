/** Variables `go` itself derives from GOPRIVATE when they are empty (cmd/go's envOr). */
const DEFAULTS_TO_GOPRIVATE = ['GONOPROXY', 'GONOSUMDB'];

/** The value `go env` reports for `key` when the environment holds `env`. */
export function effectiveGoValue(key: string, env: Record<string, string>): string {
  const value = env[key] ?? '';
  if (value === '' && DEFAULTS_TO_GOPRIVATE.includes(key)) return env.GOPRIVATE ?? '';
  return value;
}

/** Compares actual values against expected ones, listing what was seen for the evidence. */
export function envMismatches(
  actual: Record<string, string | undefined>,
  expected: Record<string, string>,
  where: string,
): { problems: string[]; shown: string } {
  const problems: string[] = [];
  const lines: string[] = [];
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    lines.push(got === undefined ? `${key} (unset)` : `${key}=${got}`);
    if (got === undefined) problems.push(`${key} is not set in ${where}; expected "${want}"`);
    else if (got !== want) problems.push(`${key} is "${got}" in ${where}; expected "${want}"`);
  }
  return { problems, shown: lines.join('\n') };
}

export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Parses `env` output (KEY=VALUE lines); multi-line values are not ours to compare. */
export function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** Parses `go env -json`; undefined when the output is not that. */
export function parseGoEnvJson(text: string): Record<string, string> | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}
