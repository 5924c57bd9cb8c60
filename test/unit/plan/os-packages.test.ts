import { silentLogger } from '../../../bake/common/log';
import { imagePackages } from '../../../bake/plan/image-packages';
import { resolveOsPackages } from '../../../bake/plan/os-packages';
import { handMadeTarget } from '../render/render-fixtures';

// Only the branches that need no archive: the resolution itself runs apt (integration tests).
const ctx = { cacheDir: '/nonexistent', env: {}, logger: silentLogger };

describe('resolveOsPackages without a reachable archive', () => {
  test('rhel family: unpinned, with a one-line note', async () => {
    expect(await resolveOsPackages(ctx, handMadeTarget({ family: 'rhel' }))).toEqual({
      packages: {
        pinned: false,
        manager: 'dnf',
        images: {},
        note: 'rhel-family repositories are not reachable from here: packages installed unpinned',
      },
    });
  });

  test('a debian-family recipe with no archive suite (ubuntu): unpinned, with a note', async () => {
    const resolved = await resolveOsPackages(ctx, handMadeTarget());
    expect(resolved.packages).toMatchObject({ pinned: false, manager: 'apt' });
    expect(resolved.packages.note).toMatch(/no archive suite/);
    expect(resolved.base).toBeUndefined();
  });
});

describe('imagePackages', () => {
  test('the toolchain gets the recipe’s packages and the runtime’s; the runtime only its own', () => {
    expect(imagePackages(handMadeTarget({ packages: ['git', 'ca-certificates'] }))).toEqual({
      toolchain: ['git', 'ca-certificates', 'tzdata'],
      runtime: ['ca-certificates', 'tzdata'],
    });
  });
});
