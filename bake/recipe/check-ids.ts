/**
 * The ids of bake's readiness checks, which `checks.extra` and `checks.skip` may name. The
 * recipe stage comes before the stages that define the checks, so the list is kept here; a
 * unit test holds it equal to the image checks (bake/readiness) and the VM checks (bake/vm).
 */
export const CHECK_IDS: readonly string[] = [
  'binary.static',
  'go.build-cache',
  'go.env',
  'go.login-shell',
  'go.version',
  'goroot.integrity',
  'image.metadata',
  'runtime.minimal',
  'runtime.probe',
  'secrets.none',
  'tls.ca-bundle',
  'user.non-root',
  'vm.chrony',
  'vm.default-go-env',
  'vm.go-env-service',
  'vm.selinux',
  'vm.services',
  'vm.unit-file',
];

/** The readiness probe's name in the builder stage and check containers: no tool may take it. */
export const RESERVED_TOOL_NAMES: readonly string[] = ['bake-probe'];
