import { errorMessage } from '../common/errors';
import { rangeVerdict } from '../golang/range-verdict';
import type { RangeVerdict } from '../golang/range-verdict';
import { resolveTargetGo } from '../plan/resolve-target';
import type { Arch, Family, ImageKind, GoSourceKind } from '../recipe/types';
import { waiversEndingSoon, type WaiverStatus } from '../recipe/waiver-dates';
import type { Session } from './session';

/** One row of `bake list`: a target, its Go range and the policy's verdict on it. */
export interface TargetListing {
  target: string;
  family: Family;
  arch: Arch;
  kinds: ImageKind[];
  goVersions: string;
  goSources: GoSourceKind[];
  policy: RangeVerdict;
  bootstrappable: boolean;
  /** With `resolve`: the exact Go release the sources give, or why they give none. */
  resolved?: { version: string; source: string } | { error: string };
  /** The target's waivers that have expired or expire within 30 days, soonest first. */
  waivers: WaiverStatus[];
}

/** Every target of the session with its policy verdict (offline); with `resolve`, each range resolved. */
export async function listTargets(session: Session, resolve: boolean): Promise<TargetListing[]> {
  const rows: TargetListing[] = [];
  for (const target of session.targets) {
    const row: TargetListing = {
      target: target.name,
      family: target.family,
      arch: target.arch,
      kinds: target.kinds,
      goVersions: target.go.versions,
      goSources: target.go.sources,
      policy: rangeVerdict(session.policy, target.go.versions, session.now),
      bootstrappable: !!target.base.bootstrap,
      resolved: undefined,
      waivers: waiversEndingSoon(target.checks.waive ?? [], session.now),
    };
    if (resolve) {
      row.resolved = await resolveTargetGo(session, target, false).then(
        ({ dist }) => ({ version: dist.version, source: dist.source }),
        (err: unknown) => ({ error: errorMessage(err) }),
      );
    }
    rows.push(row);
  }
  return rows;
}
