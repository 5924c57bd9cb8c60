import { formatSha256Sums, parseSha256Sums } from '../../../../bake/golang/mirror/sha256sums';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('SHA256SUMS', () => {
  it('reads text and binary mode lines as sha256sum prints them', () => {
    const sums = parseSha256Sums(`${A}  index.json\n${B} *go1.22.12.linux-arm64.tar.gz\n\n`, 'M/SHA256SUMS');
    expect([...sums]).toEqual([
      ['index.json', A],
      ['go1.22.12.linux-arm64.tar.gz', B],
    ]);
  });
  it.each([
    [`${A} index.json\n`, 'M/SHA256SUMS: line 1 is not "<sha256>  <file name>"'],
    [`${A}  ../etc/passwd\n`, 'M/SHA256SUMS: line 1 is not "<sha256>  <file name>"'],
    [`${A}  x\n${B}  x\n`, 'M/SHA256SUMS: x is listed twice with different sums'],
  ])('rejects %j', (text, message) => {
    expect(() => parseSha256Sums(text, 'M/SHA256SUMS')).toThrow(message);
  });
  it('writes a sorted file that reads back the same', () => {
    const sums = new Map([
      ['z.tar.gz', A],
      ['index.json', B],
    ]);
    const text = formatSha256Sums(sums);
    expect(text).toBe(`${B}  index.json\n${A}  z.tar.gz\n`);
    expect(parseSha256Sums(text, 'x')).toEqual(sums);
  });
});
