import { promises as fs } from 'node:fs';
import * as openpgp from 'openpgp';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import { GO_SIGNING_KEY_ARMORED, GO_SIGNING_KEY_FINGERPRINT } from './go-signing-key';
import type { TrustedKey } from '../types';

/** Environment variable with extra trusted key files, separated by ':' like PATH. */
export const TRUST_KEYS_ENV = 'BAKE_TRUST_KEYS';

const ARMORED_BLOCK =
  /-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g;

/**
 * The keys of armored text: one block or several concatenated (as published key files often
 * are, e.g. Google's old and new keys in one file); `source` names it in errors.
 */
export async function readTrustedKeys(armored: string, source: string): Promise<TrustedKey[]> {
  const blocks = armored.match(ARMORED_BLOCK) ?? [armored];
  const keys: openpgp.Key[] = [];
  for (const block of blocks) {
    try {
      keys.push(...(await openpgp.readKeys({ armoredKeys: block })));
    } catch (err) {
      throw new BakeError(
        `${source}: not an ASCII-armored OpenPGP public key (${errorMessage(err).split('\n')[0]})`,
        ExitCode.Usage,
      );
    }
  }
  return keys.map((key) => {
    // A private key here means a secret was handed to a tool that only needs the public half.
    if (key.isPrivate())
      throw new BakeError(
        `${source}: holds a private key; pass the public key only (gpg --armor --export KEYID)`,
        ExitCode.Usage,
      );
    return {
      fingerprint: key.getFingerprint().toLowerCase(),
      userId: key.getUserIDs()[0] ?? '(no user id)',
      source,
      key: key,
    };
  });
}

/** The embedded official Go signing key, checked against its pinned fingerprint. */
export async function embeddedGoKey(): Promise<TrustedKey> {
  const [key] = await readTrustedKeys(GO_SIGNING_KEY_ARMORED, 'embedded Go signing key');
  if (key?.fingerprint !== GO_SIGNING_KEY_FINGERPRINT)
    throw new Error('embedded Go signing key does not match its pinned fingerprint');
  return key;
}

/**
 * Every key bake trusts for this run: the embedded Go key, then the keys of each
 * `--trust-key FILE` and of each path in BAKE_TRUST_KEYS (a site's mirror signing keys).
 * Duplicates (same fingerprint) are kept once.
 */
export async function loadTrustedKeys(input: { files: string[]; env: NodeJS.ProcessEnv }): Promise<TrustedKey[]> {
  const fromEnv = (input.env[TRUST_KEYS_ENV] ?? '').split(':').filter(Boolean);
  const sources = [
    ...input.files.map((f) => ({ file: f, via: '--trust-key' })),
    ...fromEnv.map((f) => ({ file: f, via: TRUST_KEYS_ENV })),
  ];
  const keys = [await embeddedGoKey()];
  for (const { file, via } of sources) {
    const text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new BakeError(`${via} ${file}: cannot read the key file (${err.code ?? err.message})`, ExitCode.Usage);
    });
    keys.push(...(await readTrustedKeys(text, `${via} ${file}`)));
  }
  return keys.filter((k, i) => keys.findIndex((other) => other.fingerprint === k.fingerprint) === i);
}
