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
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
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

/** Token formats that are credentials wherever they appear, with a literal each match must contain. */
const CONTENT_TOKENS: { kind: string; marker: string[]; pattern: RegExp }[] = VALUE_PATTERNS.filter((p) =>
  [
    'GitHub token',
    'GitHub fine-grained token',
    'GitLab token',
    'AWS access key id',
    'Slack token',
    'JSON Web Token',
  ].includes(p.kind),
).map((p) => ({
  ...p,
  marker: {
    'GitHub token': ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    'GitHub fine-grained token': ['github_pat_'],
    'GitLab token': ['glpat-'],
    'AWS access key id': ['AKIA', 'ASIA'],
    'Slack token': ['xox'],
    'JSON Web Token': ['eyJ'],
  }[p.kind]!,
}));

/** An HTTP Authorization header with a literal credential, as GOAUTH files and saved requests hold one. */
const AUTHORIZATION_LINE =
  /^[ \t]*(?:proxy-)?authorization[ \t]*:[ \t]*(?:bearer|basic|token)[ \t]+[A-Za-z0-9._~+/=-]{12,}[ \t]*$/im;

/**
 * Credential material in a file's content, whatever the file is called: a netrc file (machine
 * entries with a password) under any name, an Authorization header with its value (a GOAUTH
 * credential file), a known token format. Literal markers are searched first, so the many
 * files that hold none cost one byte search each.
 */
export function contentCredentialKinds(content: Buffer): string[] {
  const kinds: string[] = [];
  const has = (marker: string) => content.indexOf(marker, 0, 'latin1') >= 0;
  let text: string | undefined;
  const asText = () => (text ??= content.toString('latin1'));
  if (has('password') && (has('machine') || has('default')) && isNetrcWithPassword(asText()))
    kinds.push('netrc credentials');
  if ((has('uthorization') || has('UTHORIZATION')) && AUTHORIZATION_LINE.test(asText()))
    kinds.push('HTTP Authorization header');
  for (const token of CONTENT_TOKENS)
    if (token.marker.some(has) && new RegExp(token.pattern.source, token.pattern.flags).test(asText()))
      kinds.push(token.kind);
  return kinds;
}

/**
 * Whether a text is a netrc file (every word in place: machine NAME, default, login, password,
 * account with their values, up to a macdef) with at least one password: documentation that
 * mentions the keywords is not.
 */
export function isNetrcWithPassword(text: string): boolean {
  const words = text
    .split('\n')
    .map((line) => line.replace(/^\s*#.*$/, ''))
    .join('\n')
    .split(/\s+/)
    .filter(Boolean);
  let entries = 0;
  let passwords = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === 'default') entries++;
    else if (word === 'macdef') break;
    else if (['machine', 'login', 'password', 'account'].includes(word) && i + 1 < words.length) {
      if (word === 'machine') entries++;
      if (word === 'password') passwords++;
      i++;
    } else return false;
  }
  return entries > 0 && passwords > 0;
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
