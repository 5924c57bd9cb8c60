import type { Driver, FileStat } from '../types';

/**
 * A path's type, mode and owner, symlinks followed: through the driver's own `stat` (images:
 * no shell or stat binary needed), else `stat -L` run as argv (hosts reached over SSH).
 */
export async function statPath(driver: Driver, path: string): Promise<FileStat | undefined> {
  if (driver.stat) return driver.stat(path);
  const result = await driver.exec(['stat', '-L', '-c', '%F|%a|%u|%g|%s', '--', path]);
  if (result.exitCode !== 0) {
    if (/No such file or directory/.test(result.stderr)) return undefined;
    throw new Error(`stat ${path}: exit ${result.exitCode}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
  }
  const [type, mode, uid, gid, size] = result.stdout.trim().split('|');
  return {
    type: /^regular/.test(type) ? 'file' : type === 'directory' ? 'directory' : 'other',
    mode: Number.parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
  };
}

/** `-rwxr-xr-x`-style text of a mode, with the octal value: what people read in evidence. */
export function describeStat(stat: FileStat): string {
  const octal = stat.mode.toString(8).padStart(4, '0');
  return `${stat.type}, mode ${octal}, owner ${stat.uid}:${stat.gid}, ${stat.size} bytes`;
}

/**
 * A user or group as a recipe names it (a name, or a numeric id) as the numeric id the
 * artifact's /etc/passwd or /etc/group gives it; undefined when the name is unknown there.
 */
export async function numericId(
  driver: Driver,
  value: string | number,
  database: '/etc/passwd' | '/etc/group',
): Promise<number | undefined> {
  if (typeof value === 'number') return value;
  const name = value.split(':')[0];
  if (/^\d+$/.test(name)) return Number(name);
  const text = (await driver.readFile(database))?.toString('utf8') ?? '';
  const line = text.split('\n').find((l) => l.split(':')[0] === name);
  const id = line?.split(':')[2];
  return id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
}
