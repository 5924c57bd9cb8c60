import { BakeError, ExitCode } from '../common/errors';
import { goLineOfRange, goRanges } from './go-ranges';
import { splitToolPackage } from './tool-spec';
import type { Arch, Recipe, Target, TargetChecks, TargetTool } from './types';

const EC2_ARCH: Record<Arch, 'x86_64' | 'arm64'> = { amd64: 'x86_64', arm64: 'arm64' };

/**
 * One Target per architecture of each recipe, and per Go line where the recipe names several
 * (`debian13-amd64-go1.27`, `debian13-amd64-go1.26`), in recipe, architecture, line order.
 */
export function expandTargets(recipes: Recipe[]): Target[] {
  return recipes.flatMap((recipe) => {
    const ranges = goRanges(recipe.go.versions);
    return recipe.arches.flatMap((arch) =>
      ranges.map((range) => toTarget(recipe, arch, range, ranges.length > 1 ? `-go${goLineOfRange(range)}` : '')),
    );
  });
}

function toTarget(r: Recipe, arch: Arch, range: string, lineSuffix: string): Target {
  // The schema guarantees every listed arch has a base, AMI name and instance type.
  return {
    name: `${r.name}-${arch}${lineSuffix}`,
    recipe: r.name,
    recipeFile: r.file,
    distro: r.distro,
    version: r.version,
    family: r.family,
    arch,
    kinds: r.kinds,
    base: { ref: r.bases[arch]!, ...(r.bootstrap ? { bootstrap: r.bootstrap } : {}) },
    packages: r.packages,
    go: { ...r.go, versions: range },
    env: r.env,
    user: r.user,
    tools: r.tools.map(targetTool),
    ...(r.caCertificates?.length ? { ca: { extra: r.caCertificates } } : {}),
    image: r.image,
    vm: {
      sourceAmi: { name: r.vm.sourceAmi.names[arch]!, owners: r.vm.sourceAmi.owners, architecture: EC2_ARCH[arch] },
      instanceType: r.vm.instanceTypes[arch]!,
      rootVolumeGiB: r.vm.rootVolumeGiB,
      services: r.vm.services,
      selinux: r.vm.selinux,
    },
    checks: targetChecks(r),
  };
}

/**
 * A tool as a target carries it: a module package split into its path and module version; a
 * package of the Go distribution exactly as before, so such recipes plan to the same digest.
 */
function targetTool(tool: Recipe['tools'][number]): TargetTool {
  const { path, version } = splitToolPackage(tool.package);
  if (version === undefined) return { name: tool.name, package: tool.package };
  return {
    name: tool.name,
    package: path,
    module: { path: tool.module ?? path, version, ...(tool.sum ? { sum: tool.sum } : {}) },
  };
}

/**
 * The recipe's checks as a target carries them. What a recipe does not use is left out rather
 * than written empty, so recipes without custom checks plan to the same inputs digest as before.
 */
function targetChecks(r: Recipe): TargetChecks {
  const custom = [...(r.checks.custom ?? []), ...(r.imported?.checks ?? [])];
  const findings = r.imported?.findings ?? [];
  return {
    extra: r.checks.extra,
    skip: r.checks.skip,
    ...(custom.length ? { custom } : {}),
    ...(r.checks.waive?.length ? { waive: r.checks.waive } : {}),
    ...(findings.length ? { findings } : {}),
  };
}

/** Picks targets by name; a recipe name selects all its targets, `<recipe>-<arch>` all Go lines of that arch. */
export function selectTargets(all: Target[], names: string[]): Target[] {
  const picked: Target[] = [];
  for (const name of names) {
    const matches = all.filter((t) => t.name === name || t.recipe === name || `${t.recipe}-${t.arch}` === name);
    if (matches.length === 0) {
      throw new BakeError(`unknown target "${name}"; known: ${all.map((t) => t.name).join(', ')}`, ExitCode.Usage);
    }
    for (const t of matches) if (!picked.includes(t)) picked.push(t);
  }
  return picked;
}
