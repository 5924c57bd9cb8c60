/**
 * What the readiness probe (images/probe/main.go) prints, as one JSON line. Both spellings of
 * the version and time-zone fields are accepted: `go`/`timeZone` (images/probe) and
 * `goVersion`/`timezone` (the first draft of the contract).
 */
export interface ProbeOutput {
  goVersion: string;
  goos: string;
  goarch: string;
  uid: number;
  /** Absent from probes that did not report it. */
  gid?: number;
  certPool: boolean;
  timezone: boolean;
  /** Why the pool or the time zone database did not load, when the probe says. */
  errors: string[];
}

export function parseProbeOutput(stdout: string): ProbeOutput | undefined {
  const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const goVersion = raw.goVersion ?? raw.go;
  const timezone = raw.timezone ?? raw.timeZone;
  const { goos, goarch, uid, certPool } = raw;
  if (
    typeof goVersion !== 'string' ||
    typeof goos !== 'string' ||
    typeof goarch !== 'string' ||
    typeof uid !== 'number'
  )
    return undefined;
  if (typeof certPool !== 'boolean' || typeof timezone !== 'boolean') return undefined;
  const errors = [raw.certPoolError, raw.timeZoneError ?? raw.timezoneError].filter(
    (e): e is string => typeof e === 'string' && e !== '',
  );
  const gid = typeof raw.gid === 'number' ? raw.gid : undefined;
  return { goVersion, goos, goarch, uid, gid, certPool, timezone, errors };
}
