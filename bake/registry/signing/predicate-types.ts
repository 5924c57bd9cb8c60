/**
 * The attestations bake attaches to every pushed per-architecture image: cosign's `--type` and
 * the in-toto predicate type it writes into the statement.
 */
export const ATTESTATIONS = {
  cyclonedx: { type: 'cyclonedx', predicateType: 'https://cyclonedx.org/bom' },
  spdx: { type: 'spdxjson', predicateType: 'https://spdx.dev/Document' },
  provenance: { type: 'slsaprovenance1', predicateType: 'https://slsa.dev/provenance/v1' },
  readiness: { type: 'https://bake.dev/readiness/v1', predicateType: 'https://bake.dev/readiness/v1' },
} as const;

export type AttestationName = keyof typeof ATTESTATIONS;

export const ATTESTATION_NAMES = Object.keys(ATTESTATIONS) as AttestationName[];

/** The SLSA build type of bake's provenance: what `externalParameters` and `internalParameters` hold. */
export const BAKE_BUILD_TYPE = 'https://bake.dev/build/v1';
export const BAKE_BUILDER_ID = 'https://bake.dev/builder/v1';
