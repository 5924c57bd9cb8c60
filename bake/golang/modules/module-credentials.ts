import { promises as fs } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { CredentialId, CredentialSpec, ModuleCredentials } from './types';

/**
 * The credential the builder stage sends to the site's module proxy: a netrc file (what the go
 * command reads for basic auth, `login oauth2 password <token>` in the seeds) or a GOAUTH
 * credential file (URL lines, a blank line, header lines such as `Authorization: Bearer ...`,
 * a blank line; Go 1.24 and later). bake checks each file's shape and keeps its path: the
 * build client reads it into a BuildKit secret, so its content reaches only the secret mounts
 * of the builder's tool steps. The values are kept only to blank them out of messages.
 */
export const CREDENTIAL_IDS = ['netrc', 'goauth'] as const satisfies readonly CredentialId[];
/** A netrc or GOAUTH file is a few lines. */
const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** The flag (or variable) that gives a credential of each kind, for messages that ask for one. */
export const CREDENTIAL_FLAGS = '--secret netrc=FILE (or BAKE_NETRC=FILE), or --secret goauth=FILE';

export async function readModuleCredentials(specs: CredentialSpec[]): Promise<ModuleCredentials> {
  const out: ModuleCredentials = { secrets: [], sources: [], redactions: [] };
  for (const spec of specs) {
    if (out.secrets.some((s) => s.id === spec.id))
      throw new BakeError(`${spec.source}: the ${spec.id} credential is given twice`, ExitCode.Usage);
    const file = isAbsolute(spec.file) ? spec.file : resolve(spec.file);
    const text = await readCredentialFile(file, spec.source);
    const values = spec.id === 'netrc' ? netrcSecrets(text, spec.source) : goauthSecrets(text, spec.source);
    out.secrets.push({ id: spec.id, file });
    out.sources.push(spec.source);
    out.redactions.push(...values);
  }
  return out;
}

async function readCredentialFile(file: string, source: string): Promise<string> {
  const stat = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(`${source}: cannot read ${file}: ${err.code ?? err.message}`, ExitCode.Usage);
  });
  if (!stat.isFile()) throw new BakeError(`${source}: ${file} is not a regular file`, ExitCode.Usage);
  if (stat.size > MAX_CREDENTIAL_BYTES)
    throw new BakeError(`${source}: ${file} is ${stat.size} bytes; a credential file is a few lines`, ExitCode.Usage);
  return fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new BakeError(`${source}: cannot read ${file}: ${err.code ?? err.message}`, ExitCode.Usage);
  });
}

/**
 * The passwords of a netrc file, which must hold at least one `machine` (or `default`) entry
 * with a password, as the go command reads them. The file's text is never echoed.
 */
export function netrcSecrets(text: string, source: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const passwords: string[] = [];
  let entries = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === 'machine' || word === 'default') entries++;
    else if ((word === 'password' || word === 'login' || word === 'account') && i + 1 < words.length) {
      if (word === 'password') passwords.push(words[i + 1]);
      i++;
    } else if (word === 'macdef') break;
  }
  if (entries === 0 || passwords.length === 0)
    throw new BakeError(
      `${source}: not a netrc file with a password (expected lines such as ` +
        '"machine goproxy.corp.example.com login oauth2 password <token>")',
      ExitCode.Usage,
    );
  return passwords;
}

/**
 * The header values of a GOAUTH credential file (go help goauth): blocks of https URL lines,
 * a blank line, `Name: value` header lines, a blank line.
 */
export function goauthSecrets(text: string, source: string): string[] {
  const bad = (why: string) =>
    new BakeError(
      `${source}: not a GOAUTH credential file (${why}); expected https URL lines, a blank line, ` +
        'header lines such as "Authorization: Bearer <token>", and a blank line',
      ExitCode.Usage,
    );
  const normalized = text.replace(/\r\n/g, '\n');
  // The go command wants each block's blank line written out, the last one too ("...\n\n").
  if (normalized.trim() !== '' && !normalized.endsWith('\n\n'))
    throw bad('a block ends with its headers and a blank line');
  const lines = normalized.split('\n');
  const values: string[] = [];
  let i = 0;
  let blocks = 0;
  while (i < lines.length && lines.slice(i).some((l) => l !== '')) {
    let urls = 0;
    for (; i < lines.length && lines[i] !== ''; i++, urls++)
      if (!/^https:\/\/[^\s]+$/.test(lines[i])) throw bad(`line ${i + 1} is not an https URL`);
    if (urls === 0) throw bad(`line ${i + 1}: a block starts with its URLs`);
    i++;
    let headers = 0;
    for (; i < lines.length && lines[i] !== ''; i++, headers++) {
      // `Name: value`, with the one space the go command splits on.
      const m = /^([A-Za-z0-9-]+): (.*)$/.exec(lines[i]);
      if (!m || m[2] === '') throw bad(`line ${i + 1} is not a header line`);
      values.push(m[2], ...m[2].split(/\s+/).filter((w) => w.length >= 8));
    }
    if (headers === 0 || i >= lines.length) throw bad('a block ends with its headers and a blank line');
    i++;
    blocks++;
  }
  if (blocks === 0) throw bad('it is empty');
  return values;
}

/** Blanks every secret value out of a text (longest first, so a value containing another goes whole). */
export function withoutSecrets(text: string, redactions: string[]): string {
  let out = text;
  for (const value of [...redactions].sort((a, b) => b.length - a.length))
    if (value.length >= 4) out = out.split(value).join('***');
  return out;
}
