/** A pattern longer than this is a mistake, or an attempt to make matching slow. */
export const PATTERN_MAX_CHARS = 1000;

/**
 * Compiles a regular expression as bake reads them in recipes and imported suites: JavaScript
 * syntax in Unicode mode (so an escape JavaScript does not know is an error, not a literal
 * letter), and a leading inline flag group as RE2 and PCRE write it (`(?i)`, `(?s)`, `(?m)`,
 * `(?is)`) taken as flags. Throws with a one-line reason.
 */
export function compilePattern(source: string): RegExp {
  if (source.length > PATTERN_MAX_CHARS)
    throw new Error(`a regular expression of at most ${PATTERN_MAX_CHARS} characters (this one has ${source.length})`);
  const inline = /^\(\?([ims]+)\)/.exec(source);
  const flags = new Set(['u', ...(inline?.[1] ?? '')]);
  const body = inline ? source.slice(inline[0].length) : source;
  if (/\[\[:[a-z]+:\]/.test(body))
    throw new Error('POSIX classes such as [[:digit:]] mean something else in JavaScript; write [0-9] or \\d');
  try {
    return new RegExp(body, [...flags].join(''));
  } catch (err) {
    // V8 quotes the whole pattern first ("Invalid regular expression: /.../u: reason"): keep the reason.
    const message = (err as Error).message;
    throw new Error(`not a regular expression: ${message.slice(message.lastIndexOf(': ') + 2)}`, { cause: err });
  }
}
