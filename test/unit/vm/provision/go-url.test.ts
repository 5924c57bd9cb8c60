import { goArchiveUrl } from '../../../../bake/vm/provision/go-url';

const official = { origin: 'https://go.dev/dl/go1.22.12.linux-amd64.tar.gz', filename: 'go1.22.12.linux-amd64.tar.gz' };
const debian = {
  origin: 'debian:golang-1.22-go=1.22.12-1~bpo12+1,golang-1.22-src=1.22.12-1~bpo12+1',
  filename: 'go1.22.12.linux-amd64.tar.gz',
};

describe('goArchiveUrl', () => {
  it('defaults to the URL the archive was verified from; a Debian repack has none', () => {
    expect(goArchiveUrl(official)).toBe(official.origin);
    expect(goArchiveUrl(debian)).toBeUndefined();
    expect(goArchiveUrl(debian, 'https://mirror.internal/go/go1.22.12.linux-amd64.tar.gz')).toBe(
      'https://mirror.internal/go/go1.22.12.linux-amd64.tar.gz',
    );
  });

  it('refuses URLs that would put a credential into the user data', () => {
    expect(() => goArchiveUrl(debian, 'https://user:secret@mirror.internal/go.tgz')).toThrow('carries credentials');
    expect(() =>
      goArchiveUrl(debian, 'https://bucket.s3.amazonaws.com/go.tgz?X-Amz-Credential=AKIA&X-Amz-Signature=abc'),
    ).toThrow('is a signed URL');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => goArchiveUrl(debian, 'ftp://mirror/go.tgz')).toThrow('ftp: URLs are not supported');
    expect(() => goArchiveUrl(debian, 'not a url')).toThrow('is not a URL');
  });
});
