import { redact } from '../../../bake/common/redact';

describe('redact: credentials in URLs and headers', () => {
  it.each([
    [
      'user and password',
      'fetch https://bob:hunter2@mirror.example.com/go failed',
      'fetch https://***@mirror.example.com/go failed',
    ],
    [
      'a bare token as the user',
      'git clone https://ghp_abc123@github.com/o/r.git',
      'git clone https://***@github.com/o/r.git',
    ],
    [
      'a raw @ in the password (URL parsers take the last one)',
      'http://u:p@ss@proxy:3128/x',
      'http://***@proxy:3128/x',
    ],
    ['a port and no path', 'at http://u:p@registry.internal:5000', 'at http://***@registry.internal:5000'],
    ['an upper-case scheme', 'HTTPS://U:P@HOST/', 'HTTPS://***@HOST/'],
    ['a password with an SSH URL', 'ssh://deploy:pw@host', 'ssh://***@host'],
    [
      'every URL in a list',
      'GOPROXY=https://proxy.golang.org,https://u:t@goproxy.corp/,direct',
      'GOPROXY=https://proxy.golang.org,https://***@goproxy.corp/,direct',
    ],
    ['inside JSON', '{"uri":"https://u:p@h/debian","x":"y"}', '{"uri":"https://***@h/debian","x":"y"}'],
  ])('userinfo: %s', (_name, text, want) => {
    expect(redact(text)).toBe(want);
  });

  it.each([
    ['token', 'https://h/x?token=abc123', 'https://h/x?token=***'],
    [
      'access_token after another parameter',
      'https://h/x?a=1&access_token=abc&b=2',
      'https://h/x?a=1&access_token=***&b=2',
    ],
    ['a case-insensitive name', 'https://h/x?Api_Key=abc', 'https://h/x?Api_Key=***'],
    [
      'a presigned S3 URL',
      'https://b.s3.amazonaws.com/go.tgz?X-Amz-Credential=AKIA%2F1&X-Amz-Security-Token=tok&X-Amz-Signature=f00d#frag',
      'https://b.s3.amazonaws.com/go.tgz?X-Amz-Credential=***&X-Amz-Security-Token=***&X-Amz-Signature=***#frag',
    ],
    [
      'an Azure SAS signature',
      'https://a.blob.core.windows.net/c/f?sv=2020&sig=abc%3D',
      'https://a.blob.core.windows.net/c/f?sv=2020&sig=***',
    ],
    [
      'password, passwd, secret, client_secret, auth, key, apikey',
      '?password=a&passwd=b&secret=c&client_secret=d&auth=e&key=f&apikey=g',
      '?password=***&passwd=***&secret=***&client_secret=***&auth=***&key=***&apikey=***',
    ],
    [
      'an XML-escaped separator',
      '<failure message="https://h/x?a=1&amp;token=abc&amp;b=2"/>',
      '<failure message="https://h/x?a=1&amp;token=***&amp;b=2"/>',
    ],
    ['a value ending at a quote', 'url: "https://h/?token=abc"', 'url: "https://h/?token=***"'],
    [
      'a `URL: reason` message and the end of a sentence',
      'https://h/?token=abc: refused. See https://h/?sig=a.b.',
      'https://h/?token=***: refused. See https://h/?sig=***.',
    ],
  ])('query parameter: %s', (_name, text, want) => {
    expect(redact(text)).toBe(want);
  });

  it.each([
    ['Bearer', '> Authorization: Bearer eyJhbGciOi.payload.sig', '> Authorization: Bearer ***'],
    ['Basic, lower case', 'authorization: basic dXNlcjpwYXNz', 'authorization: basic ***'],
    ['a JSON field', '{"Authorization":"Bearer abc.def"}', '{"Authorization":"Bearer ***"}'],
  ])('Authorization header: %s', (_name, text, want) => {
    expect(redact(text)).toBe(want);
  });

  it.each([
    ['ordinary text', 'built debian12-amd64 in 42.0s (12 steps, 3 cached)'],
    ['an email address', 'maintainer: ops@example.com, cc dev@example.org'],
    [
      'docker references pinned by digest',
      'FROM registry:5000/golden/debian12-go@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ],
    ['an image reference with a registry host', 'docker.io/library/debian:bookworm@sha256:1111'],
    ['a URL without credentials', 'https://go.dev/dl/go1.22.12.linux-amd64.tar.gz?mode=json&include=all#top'],
    [
      'harmless parameters whose names only contain a secret word',
      'https://h/?keyboard=1&author=me&monkey=2&tokenizer=x',
    ],
    ['an empty token value', 'https://h/?token=&a=1'],
    ['an SSH engine endpoint naming its user', 'arm64=ssh://builder@arm-host'],
    ['a user@host for ssh', '--verify-host admin@10.0.0.5'],
    ['an Authorization header with another scheme', 'Authorization: Negotiate'],
    ['a scp-like git address', 'git@github.com:o/r.git'],
    ['text already redacted', 'https://***@h/x?token=***'],
  ])('leaves %s unchanged', (_name, text) => {
    expect(redact(text)).toBe(text);
  });

  it('keeps the host of every redacted URL and is idempotent', () => {
    const once = redact('a https://u:p@one.example/x?sig=1 b http://t@two.example c');
    expect(once).toBe('a https://***@one.example/x?sig=*** b http://***@two.example c');
    expect(redact(once)).toBe(once);
  });

  it('keeps JSON parseable', () => {
    const json = JSON.stringify({ a: 'https://u:p@h/?token=a\\"b', b: ['http://x:y@z'] });
    expect(() => JSON.parse(redact(json))).not.toThrow();
    expect(redact(json)).not.toMatch(/u:p|x:y/);
  });
});
