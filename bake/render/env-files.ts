import { shellQuote } from '../common/shell-quote';
import { assertSingleLine } from '../common/dockerfile-quote';
import { policyValues } from '../plan/go-environment';
import { fillTemplate } from './template';

/** A variable name: the only part of an `export` or go.env line that is not quoted. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertLine(key: string, value: string): void {
  if (!NAME.test(key)) throw new Error(`environment variable name ${JSON.stringify(key)} is not valid`);
  assertSingleLine(key, value);
}

/** /etc/profile.d/go-env.sh: every value exported, shell-quoted, in the environment's order. */
export function renderProfileScript(template: string, env: Record<string, string>): string {
  const exports = Object.entries(env).map(([key, value]) => {
    assertLine(key, value);
    return `export ${key}=${shellQuote(value)}`;
  });
  return fillTemplate(template, { exports: exports.join('\n') }, 'go-env.sh');
}

/**
 * $GOROOT/go.env: the policy values only. The go command reads it as `KEY=VALUE` lines taken
 * literally (no quoting, no expansion), so HOME-relative paths stay in the environment.
 */
export function renderGoEnvFile(template: string, env: Record<string, string>): string {
  const lines = policyValues(env).map(([key, value]) => {
    assertLine(key, value);
    return `${key}=${value}`;
  });
  return fillTemplate(template, { values: lines.join('\n') }, 'go.env');
}
