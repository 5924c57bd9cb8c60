import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapSourceLines, findDebianMirror } from '../../../../bake/engine/base/debian-mirror';

const scratch = mkdtempSync(join(tmpdir(), 'bake-enginetest-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function etcApt(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'bake-apt-'));
  mkdirSync(join(dir, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const DEB822 = `Types: deb
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
`;

describe('findDebianMirror', () => {
  test('reads the archive and the security archive from deb822 sources', async () => {
    const dir = etcApt({ 'sources.list.d/debian.sources': DEB822 });
    expect(await findDebianMirror({}, dir)).toEqual({
      archive: 'http://mirror.example/debian',
      security: 'http://security.example/debian-security',
    });
  });

  test('reads one-line sources.list, skipping third-party repositories and disabled stanzas', async () => {
    const dir = etcApt({
      'sources.list':
        '# comment\ndeb [arch=amd64] https://vendor.example/apt stable-vendor main\ndeb http://one.example/debian bookworm main contrib\n',
      'sources.list.d/off.sources': 'Types: deb\nURIs: http://off.example/debian\nSuites: trixie\nEnabled: no\n',
    });
    expect(await findDebianMirror({}, dir)).toEqual({ archive: 'http://one.example/debian', security: undefined });
  });

  test('a line of a Debian pocket alone (-updates, -backports) names the mirror too', async () => {
    const dir = etcApt({ 'sources.list': 'deb http://pocket.example/debian/ bookworm-backports contrib\n' });
    expect(await findDebianMirror({}, dir)).toEqual({ archive: 'http://pocket.example/debian', security: undefined });
  });

  test('BAKE_DEBIAN_MIRROR overrides the archive', async () => {
    const dir = etcApt({ 'sources.list.d/debian.sources': DEB822 });
    expect((await findDebianMirror({ BAKE_DEBIAN_MIRROR: 'http://local.example/debian/' }, dir)).archive).toBe(
      'http://local.example/debian',
    );
  });

  test('no Debian archive, or one with credentials in its URI, is a clear error', async () => {
    await expect(findDebianMirror({}, etcApt({}))).rejects.toThrow(/no Debian archive .* set BAKE_DEBIAN_MIRROR/);
    const secret = etcApt({ 'sources.list': 'deb http://user:pw@mirror.example/debian bookworm main\n' });
    const err = (await findDebianMirror({}, secret).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('carries credentials');
    expect(err.message).not.toContain('pw');
  });
});

describe('bootstrapSourceLines', () => {
  const mirror = { archive: 'http://m.example/debian', security: 'http://s.example/debian-security' };
  test('a stable release gets its updates and security suites', () => {
    expect(bootstrapSourceLines(mirror, 'trixie')).toEqual([
      'deb http://m.example/debian trixie main',
      'deb http://m.example/debian trixie-updates main',
      'deb http://s.example/debian-security trixie-security main',
    ]);
  });
  test('unstable has neither', () => {
    expect(bootstrapSourceLines(mirror, 'sid')).toEqual(['deb http://m.example/debian sid main']);
  });
});
