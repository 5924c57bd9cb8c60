import * as openpgp from 'openpgp';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import type { TrustedKey } from '../types';
import type { VerifiedSignature } from './types';

export interface DetachedSignatureInput {
  data: Uint8Array;
  armoredSignature: string;
  keys: TrustedKey[];
  /** The signed file as the user knows it (path or URL), named by every error. */
  what: string;
}

/**
 * Verifies an ASCII-armored detached signature over `data` against the trusted keys only.
 * Succeeds when at least one signature in the block is valid and made by a trusted key;
 * otherwise fails with ExitCode.Untrusted naming the file and the reason (no signature,
 * unreadable armor, a signer that is not trusted with its key id, a bad signature).
 * Subkey expiry is judged at signing time (openpgp does), so an old release signed by a
 * since-expired subkey of the Go key still verifies.
 */
export async function verifyDetachedSignature(input: DetachedSignatureInput): Promise<VerifiedSignature> {
  const { what } = input;
  const fail = (reason: string) => new BakeError(`${what}: ${reason}`, ExitCode.Untrusted);
  if (!input.armoredSignature.trim()) throw fail('missing signature (empty signature file)');
  if (input.keys.length === 0) throw fail('no trusted keys to verify the signature with');

  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature: input.armoredSignature });
  } catch (err) {
    throw fail(`unreadable signature armor (${firstLine(errorMessage(err))})`);
  }
  const message = await openpgp.createMessage({ binary: input.data });
  const result = await openpgp.verify({
    message,
    signature,
    verificationKeys: input.keys.map((k) => k.key),
    format: 'binary',
  });
  if (result.signatures.length === 0) throw fail('the signature file holds no signature over data');

  const problems: string[] = [];
  for (const sig of result.signatures) {
    const keyId = sig.keyID.toHex().toUpperCase();
    const trusted = input.keys.find((k) => k.key.getKeys(sig.keyID).length > 0);
    if (!trusted) {
      problems.push(`signed by key ${keyId}, which is not trusted (trust it with --trust-key FILE or BAKE_TRUST_KEYS)`);
      continue;
    }
    try {
      await sig.verified;
      return { fingerprint: trusted.fingerprint, userId: trusted.userId, signingKeyId: keyId };
    } catch (err) {
      problems.push(`bad signature by key ${keyId} (${trusted.userId}): ${firstLine(errorMessage(err))}`);
    }
  }
  throw fail(problems.join('; '));
}

/** How a verified signature is recorded in a distribution's `verifiedBy` (plan and labels). */
export function signatureLine(signatureFile: string, signer: VerifiedSignature): string {
  const fingerprint = signer.fingerprint.toUpperCase();
  return `OpenPGP signature ${signatureFile} by key ${signer.signingKeyId} of ${fingerprint} (${signer.userId})`;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
