import { gunzipSync, gzipSync } from 'node:zlib';
import { BakeError, ExitCode } from '../../common/errors';
import { sha256Hex } from '../../common/sha256';
import type { UserData } from './types';

/** EC2 refuses user data over 16 KiB (raw, before base64). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

/**
 * The provisioning script as user data. It is gzipped because the script with its checks and
 * files is larger than EC2's limit; gzip output here is deterministic (no name, no time).
 */
export function encodeUserData(script: string): UserData {
  const bytes = gzipSync(Buffer.from(script, 'utf8'), { level: 9 });
  if (bytes.length > USER_DATA_MAX_BYTES) {
    throw new BakeError(
      `the provisioning script is ${bytes.length} bytes gzipped, ` +
        `over EC2's ${USER_DATA_MAX_BYTES}-byte user data limit`,
      ExitCode.Failure,
    );
  }
  return { bytes, base64: bytes.toString('base64'), scriptSha256: sha256Hex(script) };
}

/** User data as EC2 returns it, back to text (gzipped or not). */
export function decodeUserData(bytes: Buffer): string {
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return plain.toString('utf8');
}
