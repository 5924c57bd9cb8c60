import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Unmounts what is still mounted under `dir`, deepest first. A dockerd killed mid-build
 * leaves its data-root bind mount and BuildKit's overlay mounts behind (no process of its
 * own will ever unmount them), and the directory cannot be removed while they stay.
 */
export function unmountUnder(dir: string): void {
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => !!point && `${point}/`.startsWith(prefix))
    .map((point) =>
      point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))),
    );
  for (const point of [...new Set(points)].sort((a, b) => b.length - a.length)) {
    const r = spawnSync('umount', [point], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`umount ${point} failed: ${r.stderr.trim()}`);
  }
}
