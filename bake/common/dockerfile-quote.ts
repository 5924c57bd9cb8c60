import { BakeError, ExitCode } from './errors';

/**
 * Quotes a value for an ENV or LABEL instruction: a double-quoted Dockerfile word, where `\`,
 * `"` and `$` are the only characters with a meaning (BuildKit's shell lexer expands `$VAR`
 * inside double quotes, so `$` is escaped too, which plain JSON quoting would miss).
 */
export function dockerfileQuote(value: string): string {
  assertSingleLine('value', value);
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/**
 * Dockerfiles, profile scripts and go.env are line-based: a value with a line break or another
 * control character would end its line and start a new instruction, so it is refused.
 */
export function assertSingleLine(what: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new BakeError(
      `${what} ${JSON.stringify(value)} contains a line break or control character; ` +
        'images take single-line values only',
      ExitCode.InvalidRecipe,
    );
  }
}
