import { ExitCode } from '../../../../bake/common/errors';
import { sha256Hex } from '../../../../bake/common/sha256';
import { decodeUserData, encodeUserData, USER_DATA_MAX_BYTES } from '../../../../bake/vm/ec2/user-data';

describe('user data', () => {
  const script = '#!/bin/sh\nset -eu\necho "provisioning"\n'.repeat(200);

  test('gzipped, base64 for EC2, named by the sha256 of the script; decodes back to the script', () => {
    const data = encodeUserData(script);
    expect(data.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(data.bytes.length).toBeLessThan(script.length);
    expect(Buffer.from(data.base64, 'base64')).toEqual(data.bytes);
    expect(data.scriptSha256).toBe(sha256Hex(script));
    expect(decodeUserData(data.bytes)).toBe(script);
  });

  test('the same script gives the same bytes (no name or time in the gzip header)', () => {
    expect(encodeUserData(script).bytes).toEqual(encodeUserData(script).bytes);
  });

  test('plain user data decodes as it is', () => {
    expect(decodeUserData(Buffer.from('#!/bin/sh\n'))).toBe('#!/bin/sh\n');
  });

  test("a script over EC2's limit even gzipped is refused before any launch", () => {
    // Random hex does not compress below half its size.
    const big = Array.from({ length: USER_DATA_MAX_BYTES }, () => Math.random().toString(16).slice(2)).join('');
    expect(() => encodeUserData(big)).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.Failure,
        message: expect.stringContaining("over EC2's 16384-byte"),
      }),
    );
  });
});
