/**
 * The closed sets a recipe chooses from. They sit apart from types.ts because the schema
 * validates against them while types.ts derives the Recipe type from the schema: kept in
 * either file, the two would import each other.
 */
export const ARCHES = ['amd64', 'arm64'] as const;

export const FAMILIES = ['rhel', 'debian'] as const;

export const IMAGE_KINDS = ['toolchain', 'runtime'] as const;

export const GO_SOURCES = ['official', 'mirror', 'debian'] as const;
