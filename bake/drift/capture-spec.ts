import { GOROOT, userHome } from '../plan/go-environment';
import type { Target } from '../recipe/types';
import type { Baseline, BaselineKind, CaptureSpec } from './types';

/** The Go environment's own files: what an edit to the policy changes first. */
export const POLICY_FILES = ['/etc/profile.d/go-env.sh', `${GOROOT}/go.env`];

/**
 * What a baseline records for each kind. The toolchain: `go env` and the policy files and the
 * whole GOROOT. The runtime kind has no shell and no Go: its config, its users and every file
 * of it (it is small), all readable without running anything. VM templates are captured on
 * the host by the same records in shell (images/vm/lib/drift.sh).
 */
export function captureSpec(kind: BaselineKind, target: Pick<Target, 'user'>): CaptureSpec {
  const user = { name: target.user.name, home: userHome(target.user) };
  if (kind === 'runtime') return { kind, goroot: GOROOT, user, files: ['/etc/passwd', '/etc/group'], trees: ['/'] };
  return { kind, goroot: GOROOT, user, files: POLICY_FILES, trees: [GOROOT] };
}

/** What a later capture must read to compare with `baseline`: the same files, trees and login. */
export function specOf(baseline: Baseline, fallbackUser: CaptureSpec['user']): CaptureSpec {
  const keys = Object.keys(baseline.values);
  const named = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  return {
    kind: baseline.kind,
    goroot: GOROOT,
    user: baseline.buildUser ?? fallbackUser,
    files: named('file:'),
    trees: named('tree:'),
  };
}
