import { BakeError, ExitCode } from './errors';
import { assertSingleLine } from './dockerfile-quote';

/** Words systemd reads the same bare: no specifier (%), variable ($), quote, escape, space or `;`. */
const BARE_WORD = /^[A-Za-z0-9_/.,:=@+-]+$/;

/**
 * A path setting of a unit file (EnvironmentFile=, WorkingDirectory=, ...): systemd takes the
 * rest of the line as it is after expanding `%` specifiers, so `%` is doubled. It trims the
 * value and reads a trailing `\` as a line continuation, and there is no quoting to protect
 * either, so such a path (and a relative one) is refused.
 */
export function systemdPath(what: string, path: string): string {
  assertSingleLine(what, path);
  if (!path.startsWith('/') || path !== path.trim() || path.endsWith('\\')) {
    throw new BakeError(
      `${what} ${JSON.stringify(path)} is not an absolute path a unit file can carry ` +
        '(no surrounding space, no trailing backslash)',
      ExitCode.InvalidRecipe,
    );
  }
  return path.replace(/%/g, '%%');
}

/**
 * ExecStart= and its kin: each word bare when nothing in it has a meaning to systemd, else
 * double-quoted with C-style escapes for `\` and `"` and `%` doubled (specifiers); in the
 * arguments `$` is doubled too (systemd expands variables there, not in the executable's path,
 * where `$$` would stay two characters). The executable must be an absolute path: a leading
 * `-`, `@`, `:`, `+` or `!` would be read as a prefix that changes how it runs.
 */
export function systemdCommandLine(argv: string[]): string {
  const [program] = argv;
  if (program === undefined || !program.startsWith('/')) {
    throw new BakeError(
      `unit command ${JSON.stringify(program ?? '')} is not an absolute path`,
      ExitCode.InvalidRecipe,
    );
  }
  // systemd refuses an executable path with quotes or backslashes, however they are escaped.
  if (/["'\\]/.test(program))
    throw new BakeError(
      `unit command ${JSON.stringify(program)} has a quote or backslash, which systemd refuses in an executable's path`,
      ExitCode.InvalidRecipe,
    );
  return argv.map((word, i) => systemdWord(`unit command word ${i}`, word, i > 0)).join(' ');
}

function systemdWord(what: string, word: string, expandsVariables: boolean): string {
  assertSingleLine(what, word);
  // Bare words exclude `;` too: a lone `;` separates commands, quoted it is an argument.
  if (BARE_WORD.test(word)) return word;
  const quoted = word.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%');
  return `"${expandsVariables ? quoted.replace(/\$/g, '$$$$') : quoted}"`;
}
