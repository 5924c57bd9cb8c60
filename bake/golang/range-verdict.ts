import semver from 'semver';
import { errorMessage } from '../common/errors';
import type { GoVersionPolicy, PolicyVerdict } from './types';
import { KNOWN_GO_RELEASES, effectiveLines } from './upstream-go-lines';
import { lineVerdict, PolicyRefusedError, unsupportedLine } from './version-policy';

/** A policy verdict for a range, known before any release index is read (for `bake list`). */
export type RangeVerdict = PolicyVerdict | { status: 'refused'; messages: string[] };

/**
 * Judges a recipe's Go range against the policy without touching the network: the range is
 * judged by the newest supported line it can reach at or above that line's minimum patch,
 * as resolution picks the newest release. Never throws: a refusal is a value here, since
 * listing shows every target whatever its state.
 */
export function rangeVerdict(
  policy: GoVersionPolicy,
  range: string,
  now: Date,
  known: readonly string[] = KNOWN_GO_RELEASES,
): RangeVerdict {
  if (!semver.validRange(range)) return { status: 'refused', messages: [`"${range}" is not a valid version range`] };
  const lines = effectiveLines(policy, known);
  const reachable = lines.filter((l) => semver.intersects(range, `>=${l.minimumPatch} <${nextMinor(l.line)}`));
  if (reachable.length === 0) {
    const touched = lines.filter((l) => semver.intersects(range, `>=${l.line}.0 <${nextMinor(l.line)}`));
    const why = touched.length
      ? `below the minimum patch of line ${touched[0].line} (${touched[0].minimumPatch})`
      : `no supported line (${unsupportedLine(lineOfRange(range), lines)})`;
    return { status: 'refused', messages: [`range ${range} reaches ${why}`] };
  }
  try {
    return lineVerdict(lines, reachable[0], now, `range ${range}`);
  } catch (err) {
    if (err instanceof PolicyRefusedError) return { status: 'refused', messages: [errorMessage(err)] };
    throw err;
  }
}

function nextMinor(line: string): string {
  const [major, minor] = line.split('.').map(Number);
  return `${major}.${minor + 1}.0`;
}

/** The line a range starts on ("1.22" for "1.22.x"), for messages. */
function lineOfRange(range: string): string {
  const min = semver.minVersion(range);
  return min ? `${min.major}.${min.minor}` : range;
}
