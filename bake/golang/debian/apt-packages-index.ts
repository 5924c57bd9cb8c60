import { SHA256_HEX } from '../../common/sha256';
import { deb822Field, parseDeb822 } from './apt-deb822';
import type { DebianPackage } from './types';

/**
 * Parses Packages-format text (a Packages file, or `apt-cache show` output). Entries without
 * a usable SHA256 are dropped: bake never fetches a .deb it could not check.
 */
export function parsePackagesIndex(text: string): DebianPackage[] {
  const out: DebianPackage[] = [];
  for (const p of parseDeb822(text)) {
    const name = deb822Field(p, 'Package');
    const version = deb822Field(p, 'Version');
    const architecture = deb822Field(p, 'Architecture');
    const sha256 = deb822Field(p, 'SHA256')?.toLowerCase();
    if (!name || !version || !architecture || !sha256 || !SHA256_HEX.test(sha256)) continue;
    // "Source: golang-1.23 (1.23.5-1)" names the source version only when it differs.
    const sourceField = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(deb822Field(p, 'Source') ?? name);
    const source = sourceField?.[1] ?? name;
    const sourceVersion = sourceField?.[2] ?? version;
    out.push({
      package: name,
      version,
      architecture,
      source,
      sourceVersion,
      filename: deb822Field(p, 'Filename') ?? '',
      size: Number.parseInt(deb822Field(p, 'Size') ?? '0', 10),
      sha256,
    });
  }
  return out;
}
