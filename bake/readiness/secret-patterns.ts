/**
 * What credential material looks like, by name and by value. Findings name the kind of secret
 * and where it is, never the value: reports and logs are shared widely.
 */

/** Variable, label and build-argument names that hold secrets by convention. */
export const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;

const VALUE_PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g },
  { kind: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:[^/\s@"']+@/gi },
  { kind: 'private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g },
];

/** The kinds of secret found in a value (empty when none). */
export function secretKindsIn(text: string): string[] {
  return VALUE_PATTERNS.filter(({ pattern }) => new RegExp(pattern.source, pattern.flags).test(text)).map(
    ({ kind }) => kind,
  );
}

/** The text with every secret-looking value replaced, for evidence that must show context. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern } of VALUE_PATTERNS) out = out.replace(new RegExp(pattern.source, pattern.flags), '<redacted>');
  return out;
}

/**
 * A PEM private key block with a body: the bare marker alone also sits in TLS libraries and
 * Go binaries as a string constant, which is not a key.
 */
const PEM_PRIVATE_KEY =
  /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----\r?\n(?:[A-Za-z-]+:[^\n]*\r?\n)*\r?\n?(?:[A-Za-z0-9+/=]{16,}\r?\n)+-----END /;
/** Enough to hold an 8192-bit RSA key in PEM. */
const PEM_WINDOW = 8 * 1024;

export function containsPemPrivateKey(content: Buffer): boolean {
  let from = 0;
  for (;;) {
    const at = content.indexOf('PRIVATE KEY-----', from, 'latin1');
    if (at < 0) return false;
    const window = content.toString('latin1', Math.max(0, at - 64), Math.min(content.length, at + PEM_WINDOW));
    if (PEM_PRIVATE_KEY.test(window)) return true;
    from = at + 1;
  }
}

/** `NAME=value` pairs in a history entry (ENV lines, `RUN |2 A=b ...` build arguments). */
export function assignmentsIn(text: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"']*)/g)) {
    out.push({ name: m[1], value: m[2].replace(/^["']|["']$/g, '') });
  }
  return out;
}

export interface FileSecretRule {
  kind: string;
  /** Matches the path (basename or tail). */
  path: RegExp;
  /** When set, the file is a finding only if its content matches (config files that may hold no secret). */
  content?: RegExp;
}

export const FILE_RULES: FileSecretRule[] = [
  { kind: 'netrc credentials', path: /(^|\/)[._]netrc$/ },
  { kind: 'git credential store', path: /(^|\/)\.git-credentials$/ },
  { kind: 'SSH private key', path: /(^|\/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/ },
  // Host keys baked into an image are shared by every machine started from it.
  { kind: 'SSH host private key', path: /(^|\/)ssh_host_[a-z0-9]+_key$/ },
  {
    kind: 'Docker registry credentials',
    path: /(^|\/)\.docker\/config\.json$/,
    content: /"(auth|identitytoken|password)"\s*:\s*"[^"]+"/,
  },
  { kind: 'npm token', path: /(^|\/)\.npmrc$/, content: /(_authToken|_auth|_password)\s*=\s*\S+/ },
  { kind: 'PyPI password', path: /(^|\/)\.pypirc$/, content: /^\s*password\s*[=:]\s*\S+/m },
  { kind: 'AWS credentials', path: /(^|\/)\.aws\/credentials$/, content: /aws_secret_access_key\s*=\s*\S+/i },
];
