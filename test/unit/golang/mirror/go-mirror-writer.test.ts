import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ExitCode } from '../../../../bake/common/errors';
import type { Logger } from '../../../../bake/common/log';
import { sha256Hex } from '../../../../bake/common/sha256';
import { writeGoMirror } from '../../../../bake/golang/mirror/go-mirror-writer';
import { parseReleaseIndex } from '../../../../bake/golang/official/release-index';
import { SourceUnavailableError } from '../../../../bake/golang/source-unavailable-error';
import type { CachedGoDistribution, GoReleaseFile, GoReleaseIndex, GoSource } from '../../../../bake/golang/types';
import type { Arch } from '../../../../bake/recipe/types';

let work: string;
let dir: string;
beforeEach(async () => {
  work = await fs.mkdtemp(join(tmpdir(), 'bake-mirror-writer-'));
  dir = join(work, 'mirror');
});
afterEach(() => fs.rm(work, { recursive: true, force: true }));

const quiet: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
const bytesOf = (version: string, arch: string, generation = 0) =>
  Buffer.from(`go ${version} ${arch} #${generation}\n`);

/** A source offering some releases (plus an unstable one), serving archives from a temp dir. */
function fakeSource(
  versions: string[],
  options: { generation?: number; kind?: GoSource['kind']; unavailable?: boolean } = {},
) {
  const fetched: string[] = [];
  const source: GoSource = {
    kind: options.kind ?? 'debian',
    location: `fake ${options.kind ?? 'debian'}`,
    async index(arch: Arch): Promise<GoReleaseIndex> {
      if (options.unavailable) throw new SourceUnavailableError('fake archive down');
      return [...versions, '1.24rc1'].map((v) => ({
        version: `go${v}`,
        stable: !v.includes('rc'),
        files: [
          {
            filename: `go${v}.linux-${arch}.tar.gz`,
            os: 'linux',
            arch,
            version: `go${v}`,
            sha256: '',
            size: 0,
            kind: 'archive' as const,
          },
        ],
      }));
    },
    async fetch(file: GoReleaseFile, arch: Arch): Promise<CachedGoDistribution> {
      fetched.push(file.filename);
      const version = file.version.slice(2);
      const data = bytesOf(version, arch, options.generation);
      const path = join(work, `cache-${sha256Hex(data)}`);
      await fs.writeFile(path, data);
      return {
        version,
        arch,
        source: source.kind,
        filename: file.filename,
        sha256: sha256Hex(data),
        size: data.length,
        origin: 'fake',
        verifiedBy: ['fake'],
        path,
      };
    },
  };
  return { source, fetched };
}

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    const stat = await fs.stat(join(dir, name));
    out[name] = `${sha256Hex(await fs.readFile(join(dir, name)))} ${stat.ino} ${stat.mtimeMs}`;
  }
  return out;
}

test(
  'writes the newest stable release of each range per arch, ' + 'index.json, and SHA256SUMS as sha256sum prints it',
  async () => {
    const { source } = fakeSource(['1.22.10', '1.22.12', '1.22.2', '1.23.5', '1.23.4']);
    const result = await writeGoMirror({
      dir,
      versions: ['1.22.x', '1.23.x'],
      arches: ['amd64', 'arm64'],
      sources: [source],
      logger: quiet,
    });
    const archives = [
      'go1.22.12.linux-amd64.tar.gz',
      'go1.22.12.linux-arm64.tar.gz',
      'go1.23.5.linux-amd64.tar.gz',
      'go1.23.5.linux-arm64.tar.gz',
    ];
    expect((await fs.readdir(dir)).sort()).toEqual([...archives, 'SHA256SUMS', 'index.json'].sort());
    expect(result.files).toEqual([...archives, 'SHA256SUMS', 'index.json'].sort());
    const sums = await fs.readFile(join(dir, 'SHA256SUMS'), 'utf8');
    const expected = [...archives, 'index.json']
      .sort()
      .map(async (name) => `${sha256Hex(await fs.readFile(join(dir, name)))}  ${name}\n`);
    expect(sums).toBe((await Promise.all(expected)).join(''));
    // The real tool agrees.
    await expect(
      promisify(execFile)('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: dir }),
    ).resolves.toBeDefined();
    const index = parseReleaseIndex(await fs.readFile(join(dir, 'index.json'), 'utf8'), 'index.json');
    expect(index.map((r) => [r.version, r.files.map((f) => f.filename)])).toEqual([
      ['go1.23.5', ['go1.23.5.linux-amd64.tar.gz', 'go1.23.5.linux-arm64.tar.gz']],
      ['go1.22.12', ['go1.22.12.linux-amd64.tar.gz', 'go1.22.12.linux-arm64.tar.gz']],
    ]);
    expect(index[0].files[0]).toMatchObject({
      sha256: sha256Hex(bytesOf('1.23.5', 'amd64')),
      size: bytesOf('1.23.5', 'amd64').length,
    });
    expect(result.signCommand).toBe(
      `gpg --armor --detach-sign --output ${join(dir, 'SHA256SUMS.asc')} ${join(dir, 'SHA256SUMS')}`,
    );
  },
);

test('refreshing an up-to-date mirror changes no byte (and keeps its signature)', async () => {
  const { source } = fakeSource(['1.22.12']);
  await writeGoMirror({ dir, versions: ['1.22.x'], arches: ['amd64'], sources: [source], logger: quiet });
  await fs.writeFile(join(dir, 'SHA256SUMS.asc'), 'signature by the site\n');
  const before = await snapshot();
  const result = await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [source],
    logger: quiet,
  });
  expect(result.changed).toEqual([]);
  expect(result.signCommand).toBeUndefined();
  expect(await snapshot()).toEqual(before);
});

test(
  'a refresh merges: ' + 'older releases stay, the new one is added, and the now stale signature is removed',
  async () => {
    await writeGoMirror({
      dir,
      versions: ['1.22.x'],
      arches: ['arm64'],
      sources: [fakeSource(['1.22.11']).source],
      logger: quiet,
    });
    await fs.writeFile(join(dir, 'SHA256SUMS.asc'), 'signature by the site\n');
    const warnings: string[] = [];
    const result = await writeGoMirror({
      dir,
      versions: ['1.22.x', '1.23.x'],
      arches: ['arm64'],
      sources: [fakeSource(['1.22.12', '1.23.5']).source],
      logger: { ...quiet, warn: (m) => warnings.push(m) },
    });
    const index = parseReleaseIndex(await fs.readFile(join(dir, 'index.json'), 'utf8'), 'index.json');
    expect(index.map((r) => r.version)).toEqual(['go1.23.5', 'go1.22.12', 'go1.22.11']);
    expect(
      (await fs.readFile(join(dir, 'SHA256SUMS'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => l.slice(66)),
    ).toEqual([
      'go1.22.11.linux-arm64.tar.gz',
      'go1.22.12.linux-arm64.tar.gz',
      'go1.23.5.linux-arm64.tar.gz',
      'index.json',
    ]);
    await expect(fs.access(join(dir, 'SHA256SUMS.asc'))).rejects.toThrow();
    expect(warnings).toEqual([expect.stringMatching(/removed .*SHA256SUMS\.asc: it signed the previous SHA256SUMS/)]);
    expect(result.changed).toEqual([
      'go1.22.12.linux-arm64.tar.gz',
      'go1.23.5.linux-arm64.tar.gz',
      'index.json',
      'SHA256SUMS',
    ]);
  },
);

test('new bytes for an archive of the same name replace it atomically, leaving no temp files', async () => {
  await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [fakeSource(['1.22.12']).source],
    logger: quiet,
  });
  await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [fakeSource(['1.22.12'], { generation: 1 }).source],
    logger: quiet,
  });
  expect(await fs.readFile(join(dir, 'go1.22.12.linux-amd64.tar.gz'))).toEqual(bytesOf('1.22.12', 'amd64', 1));
  expect((await fs.readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
});

test('an archive in the mirror that no longer matches index.json stops the refresh', async () => {
  await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [fakeSource(['1.22.11']).source],
    logger: quiet,
  });
  await fs.appendFile(join(dir, 'go1.22.11.linux-amd64.tar.gz'), 'x');
  const sums = await fs.readFile(join(dir, 'SHA256SUMS'));
  const error = await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [fakeSource(['1.22.12']).source],
    logger: quiet,
  }).catch((err: unknown) => err);
  expect(error).toMatchObject({ exitCode: ExitCode.Untrusted });
  expect((error as Error).message).toMatch(/go1\.22\.11\.linux-amd64\.tar\.gz: sha256 .* differs from index\.json's/);
  expect(await fs.readFile(join(dir, 'SHA256SUMS'))).toEqual(sums);
});

test('an unreachable source falls back to the next; none left is an error naming each', async () => {
  const down = fakeSource(['1.22.12'], { kind: 'official', unavailable: true });
  const debian = fakeSource(['1.22.12']);
  const warnings: string[] = [];
  const result = await writeGoMirror({
    dir,
    versions: ['1.22.x'],
    arches: ['amd64'],
    sources: [down.source, debian.source],
    logger: { ...quiet, warn: (m) => warnings.push(m) },
  });
  expect(result.distributions.map((d) => d.source)).toEqual(['debian']);
  expect(warnings).toEqual(['official source (fake official) unreachable for 1.22.x amd64: fake archive down']);
  await expect(
    writeGoMirror({ dir, versions: ['1.22.x'], arches: ['amd64'], sources: [down.source], logger: quiet }),
  ).rejects.toMatchObject({
    exitCode: ExitCode.Unavailable,
    message: 'no Go source left for 1.22.x amd64: official (fake archive down)',
  });
});

test('a range with no stable release, or not a range at all, is refused', async () => {
  const { source } = fakeSource(['1.22.12']);
  await expect(
    writeGoMirror({ dir, versions: ['1.24.x'], arches: ['amd64'], sources: [source], logger: quiet }),
  ).rejects.toMatchObject({
    exitCode: ExitCode.Unavailable,
    message: expect.stringContaining('no stable Go release matches 1.24.x for amd64'),
  });
  await expect(
    writeGoMirror({ dir, versions: ['one.two'], arches: ['amd64'], sources: [source], logger: quiet }),
  ).rejects.toMatchObject({ exitCode: ExitCode.Usage });
});
