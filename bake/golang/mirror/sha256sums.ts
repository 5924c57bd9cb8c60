import { BakeError, ExitCode } from '../../common/errors';

/** SHA256SUMS as `sha256sum` prints it: `<hex>  <name>` (text mode) or `<hex> *<name>` (binary). */
const LINE = /^([0-9a-f]{64}) [ *]([^/\\]+)$/;

/** File name to sha256; `what` names the file in errors. Blank lines are ignored. */
export function parseSha256Sums(text: string, what: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    const m = LINE.exec(line);
    if (!m) throw new BakeError(`${what}: line ${i + 1} is not "<sha256>  <file name>"`, ExitCode.Untrusted);
    const [, sha256, name] = m;
    if (sums.has(name) && sums.get(name) !== sha256)
      throw new BakeError(`${what}: ${name} is listed twice with different sums`, ExitCode.Untrusted);
    sums.set(name, sha256);
  });
  return sums;
}

/** The file `sha256sum` would print for these entries, sorted by name so it is reproducible. */
export function formatSha256Sums(sums: Map<string, string>): string {
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, sha256]) => `${sha256}  ${name}\n`)
    .join('');
}
