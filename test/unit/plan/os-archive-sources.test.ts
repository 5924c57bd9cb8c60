import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { findOsArchive, renderOsSourcesFile } from '../../../bake/plan/os-archive-sources';
import { tempDir } from '../golang/go-fixtures';

async function etcApt(sources: string): Promise<string> {
  const dir = await tempDir('etc-apt');
  await fs.mkdir(join(dir, 'sources.list.d'));
  await fs.writeFile(join(dir, 'sources.list.d', 'debian.sources'), sources);
  return dir;
}

const HOST = [
  'Types: deb',
  'URIs: http://mirror.example/debian',
  'Suites: bookworm bookworm-updates',
  'Components: main',
  '',
  'Types: deb',
  'URIs: http://mirror.example/debian-security',
  'Suites: bookworm-security',
  'Components: main',
  '',
].join('\n');

describe('findOsArchive', () => {
  test("the machine's archive and security archive, Debian's keyring", async () => {
    expect(await findOsArchive({}, await etcApt(HOST))).toEqual({
      archive: 'http://mirror.example/debian',
      security: 'http://mirror.example/debian-security',
      keyrings: ['/usr/share/keyrings/debian-archive-keyring.gpg'],
    });
  });

  test('environment overrides, and extra keyrings trusted besides Debian’s', async () => {
    const env = {
      BAKE_DEBIAN_MIRROR: 'http://a.example/debian/',
      BAKE_DEBIAN_SECURITY_MIRROR: 'http://b.example/sec/',
      BAKE_DEBIAN_KEYRING: '/k/one.gpg:/k/two.asc',
    };
    expect(await findOsArchive(env, await etcApt(HOST))).toEqual({
      archive: 'http://a.example/debian',
      security: 'http://b.example/sec',
      keyrings: ['/usr/share/keyrings/debian-archive-keyring.gpg', '/k/one.gpg', '/k/two.asc'],
    });
  });
});

describe('renderOsSourcesFile', () => {
  const archive = { archive: 'http://a/debian', security: 'http://a/sec', keyrings: ['/k/debian.gpg', '/k/site.gpg'] };

  test('the suite, -updates and -security, each signed-by every trusted keyring', () => {
    const text = renderOsSourcesFile(archive, 'bookworm');
    expect(text).toContain(
      'URIs: http://a/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /k/debian.gpg,/k/site.gpg\n',
    );
    expect(text).toContain(
      'URIs: http://a/sec\nSuites: bookworm-security\nComponents: main\nSigned-By: /k/debian.gpg,/k/site.gpg\n',
    );
  });

  test('sid has neither -updates nor -security', () => {
    const text = renderOsSourcesFile(archive, 'sid');
    expect(text).toContain('Suites: sid\n');
    expect(text).not.toContain('security');
  });
});
