import type { z } from 'zod';
import type { recipeSchema } from './recipe-schema';
import type { ARCHES, FAMILIES, GO_SOURCES, IMAGE_KINDS } from './vocabulary';

export type Arch = (typeof ARCHES)[number];
export type Family = (typeof FAMILIES)[number];
export type ImageKind = (typeof IMAGE_KINDS)[number];
export type GoSourceKind = (typeof GO_SOURCES)[number];

/** A recipe as written (after defaults are merged) and validated. */
export type Recipe = z.infer<typeof recipeSchema> & {
  /** Recipe name: `name:` in the file, else the file's base name (`rocky9`). */
  name: string;
  /** Path of the YAML file it came from, for messages. */
  file: string;
  /** The base tags pinned through recipes/bases.lock.yaml (what `bake base update` resolves). */
  lockedBases?: Partial<Record<Arch, string>>;
};

export type GoEnvPolicy = Recipe['env'];
export type BuildUser = Recipe['user'];

/** The machine-dependent part of a VM template, resolved for one architecture. */
export interface TargetVm {
  sourceAmi: { name: string; owners: string[]; architecture: 'x86_64' | 'arm64' };
  instanceType: string;
  rootVolumeGiB: number;
  services: { enable: string[]; disable: string[] };
  selinux: 'enforcing' | 'permissive' | 'disabled' | 'none';
}

/**
 * One recipe for one architecture: the flat, central type every later stage takes.
 * Everything a build depends on from the recipe is here, resolved for `arch`.
 */
export interface Target {
  name: string;
  recipe: string;
  recipeFile: string;
  distro: string;
  version: string;
  family: Family;
  arch: Arch;
  kinds: ImageKind[];
  base: {
    ref: string;
    /** Set when the base may be bootstrapped from the distribution's archive (debian family). */
    bootstrap?: { suite: string; variant: 'minbase' };
  };
  packages: string[];
  go: {
    versions: string;
    sources: GoSourceKind[];
    mirror?: string;
    /** The standard library shipped compiled in the toolchain image (recipe `go.warmCache`). */
    warmCache?: boolean | string[];
  };
  env: GoEnvPolicy;
  user: BuildUser;
  tools: { name: string; package: string }[];
  image: { sizeBudgetMB: number; runtimeSizeBudgetMB: number };
  vm: TargetVm;
  checks: { extra: string[]; skip: string[] };
}
