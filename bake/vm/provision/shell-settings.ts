import { shellQuote } from '../../common/shell-quote';
import { assertSingleLine } from '../../common/dockerfile-quote';
import type { ShellSetting } from './types';

const NAME = /^[A-Z][A-Z0-9_]*$/;

/** `NAME=value` and `NAME=(a b)` lines, every value shell-quoted: the script's rendered inputs. */
export function shellSettings(settings: Record<string, ShellSetting>): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      if (!NAME.test(name)) throw new Error(`shell setting name ${JSON.stringify(name)} is not valid`);
      const values = typeof value === 'string' ? [value] : value;
      for (const v of values) assertSingleLine(name, v);
      return typeof value === 'string'
        ? `${name}=${shellQuote(value)}`
        : `${name}=(${values.map(arrayElement).join(' ')})`;
    })
    .join('\n');
}

/** Inside `( )` a bare comma reads like a separator to people (and shellcheck), so such values are quoted. */
function arrayElement(value: string): string {
  const quoted = shellQuote(value);
  return quoted.startsWith("'") || !value.includes(',') ? quoted : `'${value}'`;
}
