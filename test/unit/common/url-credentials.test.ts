import { ExitCode } from '../../../bake/common/errors';
import {
  assertNoEnvUrlCredentials,
  assertNoUrlCredentials,
  urlCredential,
  urlOption,
} from '../../../bake/common/url-credentials';

/** The error a call throws (or undefined), to look at its code and every line it would print. */
function thrown(fn: () => unknown): { exitCode: number; message: string; hint?: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err as { exitCode: number; message: string; hint?: string };
  }
}

describe('urlCredential', () => {
  it.each([
    ['https://bob:s3cret@mirror.example/go', 'a user name or password'],
    ['https://ghp_s3cret@github.com/', 'a user name or password'],
    ['http://:s3cret@h/', 'a user name or password'],
    ['https://u:s3cret@[not a host/', 'a user name or password'],
    ['https://mirror.example/go?token=s3cret', 'a secret query parameter (token)'],
    ['https://b.s3.amazonaws.com/go.tgz?X-Amz-Signature=s3cret', 'a secret query parameter (X-Amz-Signature)'],
    ['https://h/?a=1&Client_Secret=s3cret', 'a secret query parameter (Client_Secret)'],
  ])('finds the credential in %s', (value, kind) => {
    expect(urlCredential(value)).toBe(kind);
  });

  it.each([
    'https://mirror.example/go',
    'https://mirror.example/go?mode=json',
    'http://127.0.0.1:8080/',
    '/srv/mirror@2024',
    'mirror',
    'registry.example.com/golden',
    '',
  ])('finds none in %s', (value) => {
    expect(urlCredential(value)).toBeUndefined();
  });
});

describe('assertNoUrlCredentials', () => {
  it('is a usage error naming the flag and the way out, never the secret', () => {
    const err = thrown(() => assertNoUrlCredentials('https://bob:s3cret@mirror.example/go', '--go-mirror'));
    expect(err?.exitCode).toBe(ExitCode.Usage);
    expect(err?.message).toBe(
      '--go-mirror: the URL carries credentials (a user name or password), ' +
        'which would end up in logs, reports and images',
    );
    expect(err?.hint).toMatch(/\.netrc.*docker credential helper.*BAKE_REGISTRY_USERNAME and BAKE_REGISTRY_PASSWORD/);
    expect(`${err?.message}${err?.hint}`).not.toMatch(/s3cret|bob/);
  });

  it('lets a URL without credentials through', () => {
    expect(() => assertNoUrlCredentials('https://mirror.example/go', '--go-mirror')).not.toThrow();
  });
});

describe('assertNoEnvUrlCredentials', () => {
  it.each(['BAKE_GO_MIRROR', 'BAKE_DEBIAN_MIRROR', 'BAKE_DEBIAN_SECURITY_MIRROR', 'BAKE_GO_URL'])(
    'refuses credentials in %s, naming it',
    (name) => {
      const err = thrown(() => assertNoEnvUrlCredentials({ [name]: 'https://u:s3cret@h/x' }));
      expect(err?.exitCode).toBe(ExitCode.Usage);
      expect(err?.message).toMatch(new RegExp(`^${name}: the URL carries credentials`));
      expect(err?.message).not.toContain('s3cret');
    },
  );

  it("passes clean and unrelated variables (proxies are not bake's to judge)", () => {
    expect(() =>
      assertNoEnvUrlCredentials({
        BAKE_DEBIAN_MIRROR: 'http://deb.example/debian',
        HTTPS_PROXY: 'http://u:p@proxy:3128',
      }),
    ).not.toThrow();
  });
});

describe('urlOption', () => {
  it('returns the value unchanged when it is clean', () => {
    expect(urlOption('--go-mirror')('https://mirror.example/go')).toBe('https://mirror.example/go');
    expect(urlOption('--push', { bareHost: true })('127.0.0.1:5000/golden')).toBe('127.0.0.1:5000/golden');
  });

  it('refuses a registry written without a scheme but with a user and password', () => {
    const err = thrown(() => urlOption('--push', { bareHost: true })('bob:s3cret@registry.example.com/golden'));
    expect(err?.message).toMatch(/^--push: the URL carries credentials/);
    expect(err?.message).not.toContain('s3cret');
    expect(
      thrown(() => urlOption('--registry', { bareHost: true })('https://u:s3cret@registry.example.com/golden'))
        ?.exitCode,
    ).toBe(ExitCode.Usage);
  });

  it('treats a mirror directory as a path, not a URL', () => {
    expect(urlOption('--go-mirror')('mirror@2024/go')).toBe('mirror@2024/go');
  });
});
