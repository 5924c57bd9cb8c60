import { BakeError, ExitCode } from '../common/errors';
import type { Arch, Recipe, Target } from './types';

const EC2_ARCH: Record<Arch, 'x86_64' | 'arm64'> = { amd64: 'x86_64', arm64: 'arm64' };

/** One Target per architecture of each recipe, in recipe then architecture order. */
export function expandTargets(recipes: Recipe[]): Target[] {
  return recipes.flatMap((recipe) => recipe.arches.map((arch) => toTarget(recipe, arch)));
}

function toTarget(r: Recipe, arch: Arch): Target {
  // The schema guarantees every listed arch has a base, AMI name and instance type.
  return {
    name: `${r.name}-${arch}`,
    recipe: r.name,
    recipeFile: r.file,
    distro: r.distro,
    version: r.version,
    family: r.family,
    arch,
    kinds: r.kinds,
    base: { ref: r.bases[arch]!, ...(r.bootstrap ? { bootstrap: r.bootstrap } : {}) },
    packages: r.packages,
    go: r.go,
    env: r.env,
    user: r.user,
    tools: r.tools,
    image: r.image,
    vm: {
      sourceAmi: { name: r.vm.sourceAmi.names[arch]!, owners: r.vm.sourceAmi.owners, architecture: EC2_ARCH[arch] },
      instanceType: r.vm.instanceTypes[arch]!,
      rootVolumeGiB: r.vm.rootVolumeGiB,
      services: r.vm.services,
      selinux: r.vm.selinux,
    },
    checks: r.checks,
  };
}

/** Picks targets by name; a recipe name selects all its architectures. */
export function selectTargets(all: Target[], names: string[]): Target[] {
  const picked: Target[] = [];
  for (const name of names) {
    const matches = all.filter((t) => t.name === name || t.recipe === name);
    if (matches.length === 0) {
      throw new BakeError(`unknown target "${name}"; known: ${all.map((t) => t.name).join(', ')}`, ExitCode.Usage);
    }
    for (const t of matches) if (!picked.includes(t)) picked.push(t);
  }
  return picked;
}
