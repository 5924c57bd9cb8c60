import { ExitCode } from '../../../bake/common/errors';
import { catalogRecords, matchesImage, pinReference } from '../../../bake/registry/catalog-records';
import { LocalCatalogStore } from '../../../bake/registry/local-catalog';
import { scratchDir } from '../scratch-dir';
import { catalogAmi, catalogImage, targetCatalog } from './catalog-fixtures';

async function store(): Promise<LocalCatalogStore> {
  const catalog = new LocalCatalogStore(scratchDir('bake-catalog-records-'));
  await catalog.write(
    targetCatalog('debian12-amd64', [catalogImage(3), catalogImage(1)], [catalogAmi(2), catalogAmi(1)]),
  );
  const arm = catalogImage(2, {
    target: 'debian12-arm64',
    arch: 'arm64',
    goVersion: '1.26.11',
    manifestDigest: undefined,
  });
  await catalog.write(targetCatalog('debian12-arm64', [arm]));
  return catalog;
}

describe('catalog records', () => {
  it('lists every image oldest vetted first and every AMI oldest created first, across targets', async () => {
    const { images, amis } = await catalogRecords(await store());
    expect(images.map((i) => i.vettedAt.slice(0, 10))).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(amis.map((a) => a.amiId)).toEqual(['ami-1', 'ami-2']);
  });

  it('names an image by target and kind, repository:tag, tag or digest', () => {
    const image = catalogImage(1);
    expect(matchesImage(image, 'debian12-amd64', 'toolchain')).toBe(true);
    expect(matchesImage(image, 'debian12-amd64', 'runtime')).toBe(false);
    expect(matchesImage(image, `${image.repository}:${image.tag}`, 'runtime')).toBe(true);
    expect(matchesImage(image, image.tag, 'runtime')).toBe(true);
    expect(matchesImage(image, image.manifestDigest!, 'runtime')).toBe(true);
    expect(matchesImage(image, image.imageId, 'runtime')).toBe(true);
    expect(matchesImage(image, 'sha256:0', 'toolchain')).toBe(false);
  });
});

describe('pinReference', () => {
  it('pins the newest vetted image of a target by its registry digest', async () => {
    const pin = await pinReference(await store(), { name: 'debian12-amd64', kind: 'toolchain' });
    const newest = catalogImage(3);
    expect(pin).toEqual({
      comment: `debian12-amd64 toolchain, Go ${newest.goVersion} (vetted ${newest.vettedAt})`,
      from: `${newest.repository}@${newest.manifestDigest}`,
    });
  });

  it('pins an image that was never pushed by its immutable tag, and says so', async () => {
    const pin = await pinReference(await store(), { name: 'debian12-arm64', kind: 'toolchain' });
    expect(pin.comment).toBe('debian12-arm64 toolchain, Go 1.26.11, on this machine only (not pushed)');
    expect(pin.from).toBe(`${catalogImage(2).repository}:${catalogImage(2).tag}`);
  });

  it('filters by Go line, and refuses what is not there with a usage error', async () => {
    const catalog = await store();
    await expect(
      pinReference(catalog, { name: 'debian12-amd64', kind: 'toolchain', go: '1.26' }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.Usage,
      message: expect.stringContaining('no vetted toolchain image of debian12-amd64 for Go 1.26'),
    });
    await expect(
      pinReference(catalog, { name: 'debian12-arm64', kind: 'toolchain', go: '1.26' }),
    ).resolves.toMatchObject({
      from: expect.stringContaining(':'),
    });
  });

  it('refuses a recipe name without a registry to read its multi-arch index from', async () => {
    await expect(pinReference(await store(), { name: 'debian12', kind: 'toolchain' })).rejects.toMatchObject({
      exitCode: ExitCode.Usage,
      message: expect.stringContaining('"debian12" is a recipe'),
    });
  });
});
