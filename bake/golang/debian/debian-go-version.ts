import { splitVersion } from '../../common/debian-version';
import type { DebianGoVersion } from './types';

/**
 * Maps a Debian version of golang-1.NN-go to the Go release it packages:
 * `1.22.12-3~bpo12+1` is go1.22.12, `1.24~rc2-1` is go1.24rc2 (not stable),
 * `1.21.0-1` is go1.21.0. Epoch, Debian revision and repack suffixes (`+dfsg1`, `+ds`)
 * are not part of the Go version. Returns undefined for anything else.
 */
export function goVersionFromDebian(debianVersion: string): DebianGoVersion | undefined {
  const upstream = splitVersion(debianVersion).upstream.replace(/\+(dfsg|ds)[0-9.]*$/, '');
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:~(rc|beta)(\d+))?$/.exec(upstream);
  if (!m) return undefined;
  const [, major, minor, patch, pre, preNumber] = m;
  const base = patch !== undefined ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
  if (pre) return { version: `${base}${pre}${preNumber}`, stable: false };
  return { version: base, stable: true };
}

/** "golang-1.22-go" → "1.22": the Go line a Debian package name carries. */
export function goLineOfPackage(name: string): string | undefined {
  return /^golang-(\d+\.\d+)-(go|src)$/.exec(name)?.[1];
}
