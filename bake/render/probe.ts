/** Where built binaries go in both image kinds; the probe is always there. */
export const BIN_DIR = '/usr/local/bin';

export const PROBE_NAME = 'bake-probe';

/** The readiness probe (images/probe), present in every image bake builds. */
export const PROBE_PATH = `${BIN_DIR}/${PROBE_NAME}`;

/** The probe's sources, as they are placed in every build context. */
export const PROBE_FILES = ['probe/go.mod', 'probe/main.go'] as const;
