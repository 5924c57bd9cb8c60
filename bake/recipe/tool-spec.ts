/**
 * A recipe's tool, as written (`package: corp.example.com/platform/cmd/release@v1.4.2`) and as
 * a target carries it. A package of the Go distribution (`cmd/gofmt`) needs no download; a
 * package at an exact module version is fetched through the site's module proxy by the builder
 * stage. Exact versions only: a query (`latest`, a branch, `>v1`) would make the image depend
 * on the day it was built.
 */

/** `vMAJOR.MINOR.PATCH`, a pre-release or pseudo-version, `+incompatible`: what Go calls a canonical version. */
export const EXACT_MODULE_VERSION =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+incompatible)?$/;

/**
 * An import path as the go command accepts one for a module (module.CheckImportPath, narrowed):
 * elements of letters, digits and `-._~`, none empty, none starting or ending with a dot, and
 * never a leading `-` (it would read as a flag).
 */
export const MODULE_PACKAGE_PATH = /^[A-Za-z0-9_~][A-Za-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;

/** `h1:` and the base64 of a SHA-256 (dirhash.Hash1, what go.sum records). */
export const H1_SUM = /^h1:[A-Za-z0-9+/]{43}=$/;

export interface ToolPackage {
  path: string;
  /** Absent for a package of the Go distribution. */
  version?: string;
}

/** Splits `path@version`; undefined version when there is no `@`. */
export function splitToolPackage(spec: string): ToolPackage {
  const at = spec.lastIndexOf('@');
  return at < 0 ? { path: spec } : { path: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** Whether a path names a module package (its first element has a dot) rather than one of Go's own. */
export function isModulePath(path: string): boolean {
  return path.split('/')[0].includes('.');
}

/** Problems of a module package path (empty when it is one the go command would accept). */
export function modulePathProblems(path: string): string[] {
  if (!MODULE_PACKAGE_PATH.test(path)) return ['letters, digits and -._~ in /-separated elements'];
  const elements = path.split('/');
  if (elements.some((e) => e.startsWith('.') || e.endsWith('.') || e === '..'))
    return ['no element may start or end with a dot'];
  if (!isModulePath(path)) return ['a module path, whose first element is a host name (corp.example.com/...)'];
  return [];
}

/** Whether `modulePath` is `packagePath` or one of its leading parts, element by element. */
export function moduleHoldsPackage(modulePath: string, packagePath: string): boolean {
  return packagePath === modulePath || packagePath.startsWith(`${modulePath}/`);
}
