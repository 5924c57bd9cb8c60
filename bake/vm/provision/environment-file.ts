import { assertSingleLine } from '../../common/dockerfile-quote';
import { fillTemplate } from '../../render/template';
import type { ParsedEnvironmentFile } from './types';

const BARE = /^[A-Za-z0-9_/.,:=@%+-]*$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A value as both systemd's EnvironmentFile= and a POSIX shell read it alike: bare when it
 * has nothing either would interpret, else double-quoted with the four characters that are
 * special inside double quotes (`\ " $` and backquote) escaped: the one quoting both parse
 * identically (systemd leaves `'it'\''s'` concatenations alone; sh does not).
 */
export function environmentFileValue(value: string): string {
  assertSingleLine('value', value);
  if (BARE.test(value)) return value;
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

/** /etc/default/go-env: every variable of the environment, in its order. */
export function renderEnvironmentFile(template: string, env: Record<string, string>): string {
  const lines = Object.entries(env).map(([key, value]) => {
    if (!KEY.test(key)) throw new Error(`environment variable name ${JSON.stringify(key)} is not valid`);
    return `${key}=${environmentFileValue(value)}`;
  });
  return fillTemplate(template, { values: lines.join('\n') }, 'vm/default-go-env.tmpl');
}

/** Reads an environment file back, accepting exactly the forms environmentFileValue writes. */
export function parseEnvironmentFile(text: string): ParsedEnvironmentFile {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    const value = unquote(line.slice(eq + 1));
    if (!KEY.test(key) || value === undefined) problems.push(`line ${index + 1}: ${raw}`);
    else values[key] = value;
  });
  return { values, problems };
}

function unquote(text: string): string | undefined {
  if (BARE.test(text)) return text;
  const quoted = /^"((?:[^"\\$`]|\\[\\"$`])*)"$/.exec(text);
  return quoted ? quoted[1].replace(/\\([\\"$`])/g, '$1') : undefined;
}
