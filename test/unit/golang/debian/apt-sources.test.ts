import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  debianArchiveUri,
  debianSecurityUri,
  entriesFromDeb822,
  entriesFromOneLine,
  findDebianArchiveUri,
  hasUpdateSuites,
  isDebianSuite,
  readAptSources,
} from '../../../../bake/golang/debian/apt-sources';
import { ExitCode } from '../../../../bake/common/errors';

// Hosts here are examples (RFC 2606), never a real mirror: bake derives the real one at run time.
const DEBIAN_SOURCES = `Types: deb
# http://snapshot.example.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian/
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe("reading the machine's apt sources", () => {
  test('the Debian archive of a deb822 file, not its security suite', () => {
    expect(debianArchiveUri(entriesFromDeb822(DEBIAN_SOURCES))).toBe('http://mirror.example.org/debian');
  });

  test('security-only, third-party, disabled and deb-src entries are not the archive', () => {
    const text = `Types: deb
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: https://repo.example.com/node
Suites: nodistro
Components: main

Types: deb
Enabled: no
URIs: http://disabled.example.org/debian
Suites: bookworm
Components: main

Types: deb-src
URIs: http://src.example.org/debian
Suites: bookworm
Components: main
`;
    expect(debianArchiveUri(entriesFromDeb822(text))).toBeUndefined();
  });

  test('one-line sources.list entries, with options and comments', () => {
    const text = `# deb http://old.example.org/debian buster main
deb-src http://src.example.org/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://ftp.example.org/debian bookworm main contrib
deb http://ftp.example.org/debian-security bookworm-security main
`;
    const entries = entriesFromOneLine(text);
    expect(entries).toHaveLength(2);
    expect(debianArchiveUri(entries)).toBe('http://ftp.example.org/debian');
  });

  test('one list of Debian suites: releases and aliases, their pockets only when asked for', () => {
    expect(['bookworm', 'trixie', 'sid', 'stable'].every((s) => isDebianSuite(s))).toBe(true);
    expect(isDebianSuite('bookworm-updates')).toBe(false);
    expect(isDebianSuite('bookworm-updates', { pockets: true })).toBe(true);
    expect(isDebianSuite('trixie-backports', { pockets: true })).toBe(true);
    expect(isDebianSuite('bookworm-security', { pockets: true })).toBe(false);
    expect(isDebianSuite('jammy', { pockets: true })).toBe(false);
    expect(['sid', 'unstable', 'testing', 'experimental'].some(hasUpdateSuites)).toBe(false);
    expect(hasUpdateSuites('bookworm')).toBe(true);
  });

  test('the security archive as written', () => {
    expect(debianSecurityUri(entriesFromDeb822(DEBIAN_SOURCES))).toBe('http://mirror.example.org/debian-security');
  });

  describe('findDebianArchiveUri', () => {
    let etc: string;
    beforeEach(async () => {
      etc = await fs.mkdtemp(join(tmpdir(), 'bake-etc-apt-'));
      await fs.mkdir(join(etc, 'sources.list.d'));
    });
    afterEach(() => fs.rm(etc, { recursive: true, force: true }));

    test('reads sources.list.d/*.sources (other file names are ignored)', async () => {
      await fs.writeFile(join(etc, 'sources.list.d', 'debian.sources'), DEBIAN_SOURCES);
      await fs.writeFile(
        join(etc, 'sources.list.d', 'a.list.disabled'),
        'deb http://wrong.example.org/debian bookworm main\n',
      );
      expect(await findDebianArchiveUri({ env: {}, etcApt: etc })).toBe('http://mirror.example.org/debian');
    });

    test('sources.list comes first, as apt reads it', async () => {
      await fs.writeFile(join(etc, 'sources.list'), 'deb http://first.example.org/debian bookworm main\n');
      await fs.writeFile(join(etc, 'sources.list.d', 'debian.sources'), DEBIAN_SOURCES);
      expect(await findDebianArchiveUri({ env: {}, etcApt: etc })).toBe('http://first.example.org/debian');
    });

    test("readAptSources: both formats in apt's order; other names and unreadable files passed over", async () => {
      await fs.writeFile(join(etc, 'sources.list'), 'deb http://first.example.org/debian bookworm main\n');
      await fs.writeFile(join(etc, 'sources.list.d', 'b.list'), 'deb http://third.example.org/debian trixie main\n');
      await fs.writeFile(join(etc, 'sources.list.d', 'a.sources'), DEBIAN_SOURCES);
      await fs.writeFile(
        join(etc, 'sources.list.d', 'c.list.save'),
        'deb http://wrong.example.org/debian bookworm main\n',
      );
      await fs.mkdir(join(etc, 'sources.list.d', 'd.sources'));
      const uris = (await readAptSources(etc)).map((e) => e.uris[0]);
      expect(uris).toEqual([
        'http://first.example.org/debian',
        'http://mirror.example.org/debian/',
        'http://mirror.example.org/debian-security',
        'http://third.example.org/debian',
      ]);
    });

    test('BAKE_DEBIAN_MIRROR overrides the machine', async () => {
      await fs.writeFile(join(etc, 'sources.list.d', 'debian.sources'), DEBIAN_SOURCES);
      expect(
        await findDebianArchiveUri({ env: { BAKE_DEBIAN_MIRROR: 'http://local.example.net/debian/' }, etcApt: etc }),
      ).toBe('http://local.example.net/debian');
    });

    test('no Debian archive at all is an unavailable source, naming the way out', async () => {
      const error = await findDebianArchiveUri({ env: {}, etcApt: etc }).catch((err: unknown) => err);
      expect(error).toMatchObject({ name: 'SourceUnavailableError', exitCode: ExitCode.Unavailable });
      expect((error as Error).message).toMatch(/BAKE_DEBIAN_MIRROR/);
    });
  });
});
