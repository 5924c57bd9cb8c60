import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write';
import { SHA256_HEX } from '../../common/sha256';
import type { DebianGoRecord } from './types';

/** `<cacheDir>/debian-go/<pkg>_<debversion>_<arch>.json`, with the epoch colon escaped as apt does. */
export function debianGoRecordPath(cacheDir: string, pkg: string, debianVersion: string, arch: string): string {
  return join(cacheDir, 'debian-go', `${pkg}_${debianVersion.replace(/:/g, '%3a')}_${arch}.json`);
}

export async function readDebianGoRecord(path: string): Promise<DebianGoRecord | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

export async function writeDebianGoRecord(path: string, record: DebianGoRecord): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

function isRecord(v: unknown): v is DebianGoRecord {
  const r = v as DebianGoRecord;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.filename === 'string' &&
    typeof r.sha256 === 'string' &&
    SHA256_HEX.test(r.sha256) &&
    Number.isInteger(r.size) &&
    Array.isArray(r.debs) &&
    r.debs.every((d) => typeof d.package === 'string' && typeof d.version === 'string' && SHA256_HEX.test(d.sha256))
  );
}

/** Every record in the cache (for offline use: no apt lists, but repacks already made). */
export async function listDebianGoRecords(cacheDir: string): Promise<DebianGoRecord[]> {
  const dir = join(cacheDir, 'debian-go');
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const records = await Promise.all(names.map((n) => readDebianGoRecord(join(dir, n))));
  return records.filter((r): r is DebianGoRecord => r !== undefined);
}
