import * as openpgp from 'openpgp';
import { GO_SIGNING_KEY_ARMORED, GO_SIGNING_KEY_FINGERPRINT } from '../../../../bake/golang/trust/go-signing-key';
import { embeddedGoKey } from '../../../../bake/golang/trust/trusted-keys';

/** RFC 4880 §6.1 CRC-24: proves the transcribed armor is byte-for-byte what was published. */
function crc24(bytes: Uint8Array): string {
  let crc = 0xb704ce;
  for (const b of bytes) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
}

describe('embedded Go signing key', () => {
  it('has the pinned fingerprint of Google Linux Packages Signing Authority', async () => {
    const key = await openpgp.readKey({ armoredKey: GO_SIGNING_KEY_ARMORED });
    expect(key.getFingerprint()).toBe(GO_SIGNING_KEY_FINGERPRINT);
    expect(GO_SIGNING_KEY_FINGERPRINT).toBe('eb4c1bfd4f042f6dddccec917721f63bd38b4796');
    expect(key.getUserIDs()).toEqual([
      'Google Inc. (Linux Packages Signing Authority) <linux-packages-keymaster@google.com>',
    ]);
    expect(key.isPrivate()).toBe(false);
  });

  it('armor checksum matches its content (no transcription error)', () => {
    const lines = GO_SIGNING_KEY_ARMORED.trim().split('\n');
    const end = lines.indexOf('-----END PGP PUBLIC KEY BLOCK-----');
    const checksum = lines[end - 1];
    const body = lines.slice(2, end - 1).join('');
    expect(checksum).toMatch(/^=/);
    expect(crc24(Buffer.from(body, 'base64'))).toBe(checksum.slice(1));
  });

  it('keeps every signing subkey, each bound by a valid signature of the primary key', async () => {
    const key = await openpgp.readKey({ armoredKey: GO_SIGNING_KEY_ARMORED });
    await expect(key.verifyPrimaryKey(new Date('2025-06-01T00:00:00Z'))).resolves.toBeUndefined();
    const ids = key.subkeys.map((s) => s.getKeyID().toHex().toUpperCase());
    // 78BD65473CB3BD13 signed Go releases in 2021 (docker-library/golang#397); 4EB27DB2A3B88B8B later.
    expect(ids).toEqual(expect.arrayContaining(['78BD65473CB3BD13', '4EB27DB2A3B88B8B']));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    for (const subkey of key.subkeys) {
      // Valid the day after it was made: its binding signature verifies against the primary key.
      await expect(subkey.verify(new Date(subkey.getCreationTime().getTime() + 86_400_000))).resolves.toBeDefined();
    }
  });

  it('embeddedGoKey() gives a trusted key with that fingerprint', async () => {
    const key = await embeddedGoKey();
    expect(key.fingerprint).toBe(GO_SIGNING_KEY_FINGERPRINT);
    expect(key.source).toBe('embedded Go signing key');
  });
});
