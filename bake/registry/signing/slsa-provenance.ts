import { redact } from '../../common/redact';
import type { Plan } from '../../plan/types';
import { BAKE_BUILDER_ID, BAKE_BUILD_TYPE } from './predicate-types';

/** The recipe a plan came from, and its git revision when the recipes are in git. */
export interface RecipeSource {
  /** `recipes/debian12.yaml` (relative to the repository when in git). */
  file: string;
  sha256: string;
  /** `git rev-parse HEAD` of the recipes' repository. */
  commit?: string;
  /** Uncommitted changes under the recipes directory. */
  dirty?: boolean;
  /** The repository's origin URL (credentials removed), when it has one. */
  repository?: string;
}

/** What made the image: bake and the engine it built on. */
export interface BuilderInfo {
  bakeVersion: string;
  engine?: string;
}

interface ResourceDescriptor {
  uri?: string;
  name?: string;
  digest?: Record<string, string>;
  annotations?: Record<string, unknown>;
}

/** A SLSA provenance v1 predicate, in the fields in-toto's Go types (and so cosign) keep. */
export interface SlsaProvenance {
  buildDefinition: {
    buildType: string;
    externalParameters: Record<string, unknown>;
    internalParameters: Record<string, unknown>;
    resolvedDependencies: ResourceDescriptor[];
  };
  runDetails: {
    builder: { id: string; version: Record<string, string> };
    metadata: { startedOn?: string; finishedOn?: string };
    byproducts: ResourceDescriptor[];
  };
}

/**
 * The provenance of one vetted image: the recipe (and its commit), the plan's inputs digest,
 * the Go archive's sha256 and source, the base image digest, every pinned package, the
 * readiness report, and the build's start and end when this run built it.
 */
export function slsaProvenance(input: {
  plan: Plan;
  kind: string;
  recipe?: RecipeSource;
  builder: BuilderInfo;
  reportDigest: string;
  build?: { startedAt: string; finishedAt: string };
}): SlsaProvenance {
  const { plan, recipe, builder } = input;
  const sha = (digest: string) => ({ sha256: digest.replace(/^sha256:/, '') });
  const packages = plan.packages?.images[input.kind as keyof typeof plan.packages.images] ?? [];
  const manager = plan.packages?.manager === 'dnf' ? 'rpm' : 'deb';
  const recipeRef = recipe?.repository && recipe.commit ? `git+${recipe.repository}@${recipe.commit}` : undefined;
  return {
    buildDefinition: {
      buildType: BAKE_BUILD_TYPE,
      externalParameters: {
        target: plan.target.name,
        kind: input.kind,
        recipe: {
          name: plan.target.recipe,
          ...(recipe ? { file: recipe.file, sha256: recipe.sha256 } : {}),
          ...(recipe?.commit ? { commit: recipe.commit, dirty: !!recipe.dirty } : {}),
        },
        goVersion: plan.go.version,
        goSource: plan.go.source,
      },
      internalParameters: {
        inputsDigest: plan.inputsDigest,
        sourceDateEpoch: plan.sourceDateEpoch,
        env: plan.env,
        policy: { line: plan.policy.line, status: plan.policy.status },
        ...(plan.packages ? { packagesPinned: plan.packages.pinned } : {}),
      },
      resolvedDependencies: [
        ...(recipe?.commit
          ? [{ uri: recipeRef, name: 'recipes', digest: { gitCommit: recipe.commit } } as ResourceDescriptor]
          : []),
        {
          uri: `pkg:generic/go@${plan.go.version}`,
          name: plan.go.filename,
          digest: sha(plan.go.sha256),
          annotations: { source: plan.go.source, origin: redact(plan.go.origin), verifiedBy: plan.go.verifiedBy },
        },
        {
          uri: plan.base.ref.split('@')[0],
          name: 'base',
          digest: sha(plan.base.digest),
          ...(plan.base.archive
            ? { annotations: { archiveDigest: plan.base.archive.digest, suite: plan.base.archive.suite } }
            : {}),
        },
        ...packages.map((p) => ({
          uri: `pkg:${manager}/${plan.target.distro}/${p.name}@${p.version}?arch=${p.arch}`,
          name: p.name,
          annotations: { version: p.version, arch: p.arch },
        })),
      ],
    },
    runDetails: {
      builder: {
        id: BAKE_BUILDER_ID,
        version: { bake: builder.bakeVersion, ...(builder.engine ? { engine: builder.engine } : {}) },
      },
      metadata: input.build ? { startedOn: input.build.startedAt, finishedOn: input.build.finishedAt } : {},
      byproducts: [{ name: 'readiness-report', digest: sha(input.reportDigest) }],
    },
  };
}
