import { urlCredential } from '../common/url-credentials';
import { pathSegment, type RecipeProblem, shownValue } from './recipe-errors';

// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: any of them
// would split a Dockerfile line, a unit file setting, an env file line or a shell word.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Every string of a recipe (keys too) that holds a control character. Recipe values end up
 * in Dockerfiles, shell, unit and environment files, labels and AWS names, where no quoting
 * keeps a line break inert; so such a value is refused wherever it is.
 */
export function controlCharacterProblems(file: string, raw: unknown, path: string[] = []): RecipeProblem[] {
  const at = (p: string[]) => p.map(pathSegment).join('.');
  if (typeof raw === 'string') {
    const m = CONTROL.exec(raw);
    if (!m) return [];
    const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return [
      {
        file,
        path: at(path),
        message: `contains the control character U+${code}; values must be single-line text (got ${shownValue(raw)})`,
      },
    ];
  }
  if (Array.isArray(raw)) return raw.flatMap((v, i) => controlCharacterProblems(file, v, [...path, String(i)]));
  if (raw && typeof raw === 'object') {
    return Object.entries(raw).flatMap(([k, v]) => {
      const keyProblem = CONTROL.test(k)
        ? [{ file, path: at(path), message: `a key contains a control character (${shownValue(k)})` }]
        : [];
      return [...keyProblem, ...controlCharacterProblems(file, v, [...path, k])];
    });
  }
  return [];
}

/**
 * Userinfo (`https://user:token@host`) or a secret query parameter (`?token=`) in a URL: a
 * credential written into configuration. The same rule as for flags and environment variables.
 */
export function urlCarriesCredentials(value: string): boolean {
  return urlCredential(value) !== undefined;
}
