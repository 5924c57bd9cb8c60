/** Quotes a value for POSIX sh: generated shell never sees a user value unescaped. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
