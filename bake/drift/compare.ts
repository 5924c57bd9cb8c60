import { listingMatches, parseListing, type TreeEntry } from './tree-listing';
import type { Finding, Severity, TreeListing } from './types';

/** A side of the comparison: records, and the listings of its trees where they are at hand. */
export interface CompareSide {
  values: Record<string, string>;
  trees?: Record<string, TreeListing>;
}

/** At most this many findings per tree, then one that counts the rest: a flood of files stays a bounded report. */
export const TREE_FINDINGS_MAX = 50;
const UNSET = '(unset)';
const ABSENT = 'absent';

/**
 * Every difference between a baseline and what was captured live, one finding each, ordered by
 * record. `evidence` says how a record family was read (`go.env` → the command), for the reader.
 */
export function compareCaptures(
  baseline: CompareSide,
  live: CompareSide,
  evidence: (key: string) => string,
): Finding[] {
  const findings: Finding[] = [];
  const keys = [...new Set([...Object.keys(baseline.values), ...Object.keys(live.values)])].sort();
  const ownFiles = new Set(keys.filter((k) => k.startsWith('file:')).map((k) => k.slice('file:'.length)));
  for (const key of keys) {
    const expected = baseline.values[key];
    const actual = live.values[key];
    if (expected === actual) continue;
    if (key.startsWith('tree:')) {
      findings.push(...treeFindings(key, baseline, live, ownFiles, evidence(key)));
      continue;
    }
    const severity = key.startsWith('file:')
      ? fileSeverity(expected ?? ABSENT, actual ?? ABSENT)
      : key.startsWith('user') || /^(env|go\.env|go\.env\.login|vm\.[a-z]+):?/.test(key)
        ? 'policy-changed'
        : 'integrity-changed';
    findings.push({
      key,
      severity,
      subject: subjectOf(key),
      expected: expected ?? (key.startsWith('file:') ? ABSENT : UNSET),
      actual: actual ?? (key.startsWith('file:') ? ABSENT : UNSET),
      evidence: evidence(key),
    });
  }
  return findings;
}

/** What a record is about, in words. */
export function subjectOf(key: string): string {
  const [family, name = ''] = splitKey(key);
  switch (family) {
    case 'user':
      return 'the default user';
    case 'env':
      return `${name} in the process environment`;
    case 'go.env':
      return `${name} in go env of the build user`;
    case 'go.env.login':
      return `${name} in go env of a login shell of the build user`;
    case 'file':
    case 'tree':
      return name;
    case 'vm.selinux':
      return 'the SELinux mode';
    case 'vm.service':
      return `the unit ${name}`;
    default:
      return key;
  }
}

export function splitKey(key: string): [string, string?] {
  const colon = key.indexOf(':');
  return colon < 0 ? [key] : [key.slice(0, colon), key.slice(colon + 1)];
}

interface FileFacts {
  sha256?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  other: string;
}

function fileFacts(value: string): FileFacts {
  const fields = Object.fromEntries(
    value
      .split(' ')
      .map((f) => f.split('='))
      .filter((p) => p.length === 2),
  ) as Record<string, string>;
  return {
    sha256: fields.sha256,
    mode: fields.mode === undefined ? undefined : Number.parseInt(fields.mode, 8),
    uid: fields.uid === undefined ? undefined : Number(fields.uid),
    gid: fields.gid === undefined ? undefined : Number(fields.gid),
    other: `${fields.symlink ?? ''}${value === ABSENT ? ABSENT : ''}`,
  };
}

/** A file record that changed: its content (or kind) is integrity; a looser mode or owner is its own class. */
function fileSeverity(expected: string, actual: string): Severity {
  const want = fileFacts(expected);
  const got = fileFacts(actual);
  if (want.sha256 !== got.sha256 || want.other !== got.other) return 'integrity-changed';
  return loosened(want, got) ? 'permission-loosened' : 'integrity-changed';
}

/**
 * Looser: write bits for group or others, setuid or setgid added, or an owner other than
 * root where root owned it.
 */
export function loosened(
  want: { mode?: number; uid?: number; gid?: number },
  got: { mode?: number; uid?: number; gid?: number },
): boolean {
  const added = (got.mode ?? 0) & ~(want.mode ?? 0);
  return (
    (added & 0o6022) !== 0 ||
    (want.uid === 0 && got.uid !== undefined && got.uid !== 0) ||
    (want.gid === 0 && got.gid !== undefined && got.gid !== 0 && ((got.mode ?? 0) & 0o020) !== 0)
  );
}

/**
 * A tree whose record differs, path by path where both listings are at hand (the baseline's
 * authenticated by its record); otherwise one finding for the tree and the looser permissions
 * the live listing shows.
 */
function treeFindings(
  key: string,
  baseline: CompareSide,
  live: CompareSide,
  ownFiles: Set<string>,
  evidence: string,
): Finding[] {
  const root = key.slice('tree:'.length);
  const expected = baseline.values[key] ?? ABSENT;
  const actual = live.values[key] ?? ABSENT;
  const before = baseline.trees?.[root];
  const after = live.trees?.[root];
  const whole: Finding = { key, severity: 'integrity-changed', subject: root, expected, actual, evidence };
  if (!after) return [whole];
  const now = parseListing(after);
  if (!before || !listingMatches(before, expected)) {
    const loose = [...now.values()]
      .filter((e) => e.type !== 'l' && (e.mode & 0o1000) === 0 && loosened({ mode: 0o755, uid: 0 }, e))
      .map((e) => entryFinding(key, root, e, 'permission-loosened', '(not in the baseline listing)', evidence));
    return [whole, ...bounded(key, root, loose, evidence)];
  }
  const then = parseListing(before);
  const found: Finding[] = [];
  let ownDiffered = false;
  const paths = [...new Set([...then.keys(), ...now.keys()])].sort();
  for (const path of paths) {
    const a = then.get(path);
    const b = now.get(path);
    if (ownFiles.has(joinPath(root, path))) {
      ownDiffered ||= (a && show(a)) !== (b && show(b));
      continue;
    }
    if (!a && b) found.push(entryFinding(key, root, b, 'extra-file', ABSENT, evidence));
    else if (a && !b)
      found.push({
        key,
        severity: 'integrity-changed',
        subject: joinPath(root, path),
        expected: show(a),
        actual: ABSENT,
        evidence,
      });
    else if (a && b && show(a) !== show(b)) {
      const sameContent = a.type === b.type && a.sha256 === b.sha256 && a.link === b.link;
      const severity = sameContent && loosened(a, b) ? 'permission-loosened' : 'integrity-changed';
      found.push(entryFinding(key, root, b, severity, show(a), evidence));
    }
  }
  // Differences only in what a file record covers on its own are that record's findings.
  return found.length ? bounded(key, root, found, evidence) : ownDiffered ? [] : [whole];
}

function entryFinding(
  key: string,
  root: string,
  entry: TreeEntry,
  severity: Severity,
  expected: string,
  evidence: string,
): Finding {
  return { key, severity, subject: joinPath(root, entry.path), expected, actual: show(entry), evidence };
}

function bounded(key: string, root: string, findings: Finding[], evidence: string): Finding[] {
  if (findings.length <= TREE_FINDINGS_MAX) return findings;
  const rest = findings.length - TREE_FINDINGS_MAX;
  return [
    ...findings.slice(0, TREE_FINDINGS_MAX),
    {
      key,
      severity: 'integrity-changed',
      subject: `${root}: ${rest} more differences`,
      expected: 'the baseline listing',
      actual: `${rest} more paths differ (not listed)`,
      evidence,
    },
  ];
}

/** An entry as one readable value: `file mode 644 uid 0 gid 0 sha256 ...`. */
function show(e: TreeEntry): string {
  const what = { f: 'file', d: 'directory', l: 'symlink' }[e.type] ?? `type ${e.type}`;
  const tail = e.type === 'f' ? ` sha256 ${e.sha256 ?? '?'}` : e.type === 'l' ? ` -> ${e.link ?? ''}` : '';
  return `${what} mode ${e.mode.toString(8)} uid ${e.uid} gid ${e.gid}${tail}`;
}

function joinPath(root: string, path: string): string {
  if (!path) return root;
  return root.endsWith('/') ? `${root}${path}` : `${root}/${path}`;
}
