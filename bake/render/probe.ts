/** Where the recipe's tools go in the toolchain image. */
export const BIN_DIR = '/usr/local/bin';

export const PROBE_NAME = 'bake-probe';

/**
 * Where a check container carries the readiness probe (images/probe): copied into the container
 * at check time, never part of an image, at a path no image of its own uses.
 */
export const PROBE_PATH = `/.bake/${PROBE_NAME}`;

/** The probe's sources, as they are placed in every build context. */
export const PROBE_FILES = ['probe/go.mod', 'probe/main.go'] as const;
