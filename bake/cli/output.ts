import { redact } from '../common/redact';

/**
 * stdout is for results (tables or --json); everything else goes to stderr. Commands print
 * through these, never process.stdout/stderr directly, so every line is redacted on its way out
 * (a result can quote a URL from a catalog, a recipe or a check's evidence).
 */
export function printOut(text: string): void {
  process.stdout.write(redact(text));
}

/** A note on stderr outside the logger (no timestamp), redacted like everything else. */
export function printErr(text: string): void {
  process.stderr.write(redact(text));
}

export function printJson(value: unknown): void {
  printOut(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain text table: columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function printTable(header: string[], rows: string[][]): void {
  printOut(`${formatTable(header, rows)}\n`);
}
