import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { BakeError, ExitCode } from '../common/errors';
import { sha256Hex } from '../common/sha256';
import { parseTargetCatalog } from './parse-catalog';
import type { CatalogStore, TargetCatalog } from './types';

/**
 * The catalog in a directory: `targets/<target>.json`, and reports content-addressed under
 * `reports/sha256/<hex>`. Each document is replaced by rename, so a crash at any moment leaves
 * either the old or the new one.
 */
export class LocalCatalogStore implements CatalogStore {
  constructor(readonly location: string) {}

  async targets(): Promise<string[]> {
    const names = await fs.readdir(join(this.location, 'targets')).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }

  async read(target: string): Promise<TargetCatalog | undefined> {
    const path = this.pathOf(target);
    const text = await fs.readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    return text === undefined ? undefined : parseTargetCatalog(text, path);
  }

  async write(catalog: TargetCatalog): Promise<void> {
    await writeFileAtomic(this.pathOf(catalog.target), `${JSON.stringify(catalog, null, 2)}\n`);
  }

  async putReport(report: Buffer): Promise<string> {
    const hex = sha256Hex(report);
    const path = join(this.location, 'reports', 'sha256', hex);
    if (!(await fs.stat(path).catch(() => undefined))) await writeFileAtomic(path, report);
    return `sha256:${hex}`;
  }

  async getReport(digest: string): Promise<Buffer | undefined> {
    const hex = digest.replace(/^sha256:/, '');
    const data = await fs.readFile(join(this.location, 'reports', 'sha256', hex)).catch(() => undefined);
    if (data && sha256Hex(data) !== hex)
      throw new BakeError(`report ${digest} in ${this.location} does not match its digest`, ExitCode.Untrusted);
    return data;
  }

  private pathOf(target: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(target)) throw new Error(`not a target name: ${target}`);
    return join(this.location, 'targets', `${target}.json`);
  }
}
