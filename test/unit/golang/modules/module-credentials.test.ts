import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { BakeError, ExitCode } from '../../../../bake/common/errors';
import {
  goauthSecrets,
  netrcSecrets,
  readModuleCredentials,
  withoutSecrets,
} from '../../../../bake/golang/modules/module-credentials';
import { escapeModulePath, moduleProxyUrl } from '../../../../bake/golang/modules/module-path';
import { scratchDir } from '../../scratch-dir';

// Tokens are made at test time: nothing token-shaped is committed.
const token = `tok${'9f8e7d6c5b'.repeat(3)}`;

describe('module credentials', () => {
  test("a netrc's passwords, in either layout, never its text in an error", () => {
    expect(netrcSecrets(`machine goproxy.corp.example.com\nlogin oauth2\npassword ${token}\n`, 'x')).toEqual([token]);
    expect(netrcSecrets(`machine a login u password p1 machine b login v password ${token}`, 'x')).toEqual([
      'p1',
      token,
    ]);
    let err: unknown;
    try {
      netrcSecrets(`login oauth2 ${token}`, '--secret netrc');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).exitCode).toBe(ExitCode.Usage);
    expect((err as BakeError).message).toMatch(/^--secret netrc: not a netrc file with a password/);
    expect((err as BakeError).message).not.toContain(token);
  });

  test("a GOAUTH file's header values, and its shape checked", () => {
    const text = `https://goproxy.corp.example.com\n\nAuthorization: Bearer ${token}\n\n`;
    expect(goauthSecrets(text, 'x')).toEqual([`Bearer ${token}`, token]);
    expect(() => goauthSecrets('http://a.example\n\nAuthorization: Bearer x\n\n', 'g')).toThrow(/not an https URL/);
    expect(() => goauthSecrets('https://a.example\n\nAuthorization: Bearer x\n', 'g')).toThrow(/blank line/);
    expect(() => goauthSecrets('', 'g')).toThrow(/it is empty/);
    expect(() => goauthSecrets('https://a.example\n\nAuthorization:Bearer x\n\n', 'g')).toThrow(
      /line 3 is not a header/,
    );
    // A malformed line is named by its number, never shown.
    expect(() => goauthSecrets(`https://a.example\n\nno header ${token}\n\n`, 'g')).toThrow(/^g: .*line 3/);
    expect(() => goauthSecrets(`https://a.example\n\nno header ${token}\n\n`, 'g')).not.toThrow(token);
  });

  test('withoutSecrets blanks every value, longest first', () => {
    expect(withoutSecrets(`401 for Bearer ${token} (${token})`, [token, `Bearer ${token}`])).toBe('401 for *** (***)');
    expect(withoutSecrets('abc', ['a'])).toBe('abc');
  });

  test('reads files once each, by absolute path; the same kind twice or a missing file is a usage error', async () => {
    const dir = scratchDir('bake-credentials-');
    const netrc = join(dir, 'netrc');
    await fs.writeFile(netrc, `machine h login u password ${token}\n`, { mode: 0o600 });
    const read = await readModuleCredentials([{ id: 'netrc', file: netrc, source: '--secret netrc' }]);
    expect(read).toEqual({
      secrets: [{ id: 'netrc', file: netrc }],
      sources: ['--secret netrc'],
      redactions: [token],
    });
    await expect(
      readModuleCredentials([
        { id: 'netrc', file: netrc, source: '--secret netrc' },
        { id: 'netrc', file: netrc, source: 'BAKE_NETRC' },
      ]),
    ).rejects.toThrow(/BAKE_NETRC: the netrc credential is given twice/);
    await expect(
      readModuleCredentials([{ id: 'goauth', file: join(dir, 'none'), source: '--secret goauth' }]),
    ).rejects.toMatchObject({ exitCode: ExitCode.Usage, message: expect.stringMatching(/ENOENT/) as string });
    await expect(readModuleCredentials([{ id: 'netrc', file: dir, source: 'BAKE_NETRC' }])).rejects.toThrow(
      /is not a regular file/,
    );
  });
});

describe('GOPROXY URLs', () => {
  test('upper-case letters escaped as the protocol wants, the proxy path kept', () => {
    expect(escapeModulePath('github.com/Azure/Go-Sdk')).toBe('github.com/!azure/!go-!sdk');
    expect(moduleProxyUrl('https://art.example/api/go/remote/', 'corp.example.com/Tool', 'list')).toBe(
      'https://art.example/api/go/remote/corp.example.com/!tool/@v/list',
    );
  });
});
