import { readImageContents } from '../../../bake/sbom/read-image-contents';
import { dockerSaveExport } from './image-export-fixture';
import { debianImageLayers, IMAGE } from './sbom-fixture';

describe('readImageContents on an image export', () => {
  const contents = async () => readImageContents(await dockerSaveExport(debianImageLayers()), IMAGE);

  test('packages come from dpkg status and status.d, newest layer first, installed ones only', async () => {
    const { packages } = await contents();
    expect(packages.map((p) => `${p.name}=${p.version}:${p.arch}`)).toEqual([
      'base-files=12.4+deb12u11:amd64',
      'ca-certificates=20250419~deb12u2:all',
      'git=1:2.39.5-0+deb12u3:amd64',
      'libc6=2.36-9+deb12u14:amd64',
      'tzdata=2026f-0+deb12u1:all',
    ]);
    expect(packages.find((p) => p.name === 'tzdata')?.database).toBe('/var/lib/dpkg/status.d/tzdata');
    expect(packages.find((p) => p.name === 'libc6')?.source).toBe('glibc');
  });

  test('licenses come from DEP-5 copyright files; a free-form file claims none', async () => {
    const byName = Object.fromEntries((await contents()).packages.map((p) => [p.name, p.licenses]));
    expect(byName).toEqual({
      'base-files': [],
      'ca-certificates': ['GPL-2+ or MPL-2.0'],
      git: ['GPL-2', 'LGPL-2.1+'],
      libc6: ['LGPL-2.1+'],
      tzdata: ['public-domain'],
    });
  });

  test('files deleted by whiteouts and opaque directories are gone; Go binaries keep their build info', async () => {
    const { goBinaries } = await contents();
    expect(goBinaries.map((b) => b.path)).toEqual(['/usr/local/bin/tool', '/usr/local/go/bin/go']);
    const tool = goBinaries[0];
    expect(tool).toMatchObject({
      goVersion: 'go1.27.4',
      main: { path: 'example.com/tool', version: 'v1.4.0' },
      deps: [{ path: 'golang.org/x/mod', version: 'v0.21.0', sum: 'h1:BBBB' }],
    });
    expect(tool.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('Go comes from the labels, the distribution from os-release (through its symlink)', async () => {
    const c = await contents();
    expect(c.go).toEqual({
      version: '1.27.4',
      sha256: 'a'.repeat(64),
      source: 'official',
      filename: 'go1.27.4.linux-amd64.tar.gz',
      evidence: 'the io.bake.go.* labels',
    });
    expect(c.distro).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(c.notes).toEqual([]);
  });

  test('an image bake did not build: Go from $GOROOT/VERSION; none at all without a Go tree', async () => {
    const c = await readImageContents(await dockerSaveExport(debianImageLayers()), { ...IMAGE, labels: {} });
    expect(c.go).toEqual({ version: '1.27.4', evidence: '/usr/local/go/VERSION' });
    const runtime = debianImageLayers().map((layer) => layer.filter((e) => !e.path.startsWith('/usr/local/go')));
    expect((await readImageContents(await dockerSaveExport(runtime), IMAGE)).go).toBeUndefined();
  });

  test('an rpm database makes the SBOM say it is incomplete', async () => {
    const layers = [[{ path: '/var/lib/rpm/rpmdb.sqlite', content: 'SQLite format 3\0' }]];
    const c = await readImageContents(await dockerSaveExport(layers), { ...IMAGE, labels: {} });
    expect(c.packages).toEqual([]);
    expect(c.notes).toEqual([expect.stringContaining('the rpm database /var/lib/rpm/rpmdb.sqlite is not read')]);
  });

  test('an export that is not an image export is an error, not an empty SBOM', async () => {
    const { Readable } = await import('node:stream');
    await expect(readImageContents(Readable.from([Buffer.from('not a tar at all')]), IMAGE)).rejects.toThrow();
  });
});
