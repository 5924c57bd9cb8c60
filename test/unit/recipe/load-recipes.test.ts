import { expandTargets } from '../../../bake/recipe/expand-targets';
import { loadRecipes } from '../../../bake/recipe/load-recipes';

describe('shipped recipes', () => {
  it('load, validate and expand into the 12 targets (debian13 bakes two Go lines)', async () => {
    const { recipes } = await loadRecipes('recipes');
    const names = expandTargets(recipes).map((t) => t.name);
    expect(names).toEqual([
      'centos7-amd64',
      'centos7-arm64',
      'debian12-amd64',
      'debian12-arm64',
      'debian13-amd64-go1.27',
      'debian13-amd64-go1.26',
      'debian13-arm64-go1.27',
      'debian13-arm64-go1.26',
      'rocky9-amd64',
      'rocky9-arm64',
      'ubuntu2404-amd64',
      'ubuntu2404-arm64',
    ]);
  });

  it('resolve per-architecture VM settings and defaults', async () => {
    const { recipes } = await loadRecipes('recipes');
    const rocky = expandTargets(recipes).find((t) => t.name === 'rocky9-arm64')!;
    expect(rocky.family).toBe('rhel');
    expect(rocky.vm.sourceAmi).toEqual({
      name: 'Rocky-9-EC2-Base-9.*aarch64',
      owners: ['792107900819'],
      architecture: 'arm64',
    });
    expect(rocky.vm.instanceType).toBe('t4g.medium');
    expect(rocky.vm.selinux).toBe('enforcing');
    expect(rocky.env.GOTOOLCHAIN).toBe('local');
    expect(rocky.base.bootstrap).toBeUndefined();
    const debian = expandTargets(recipes).find((t) => t.name === 'debian12-amd64')!;
    expect(debian.base.bootstrap).toEqual({ suite: 'bookworm', variant: 'minbase' });
  });
});
