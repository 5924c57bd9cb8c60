import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write';
import { BakeError, ExitCode } from '../common/errors';
import { sha256Hex } from '../common/sha256';
import { parseTargetCatalog } from './parse-catalog';
import type { CatalogStore, TargetCatalog, VerdictStore } from './types';

/**
 * The catalog in a directory: `targets/<target>.json`, reports content-addressed under
 * `reports/sha256/<hex>`, and which report vetted which image under `verdicts/sha256/<image>`.
 * Each document is replaced by rename, so a crash at any moment leaves either the old or the
 * new one.
 */
export class LocalCatalogStore implements CatalogStore, VerdictStore {
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

  async recordVerdict(imageId: string, reportDigest: string): Promise<void> {
    await writeFileAtomic(this.verdictPath(imageId), `${JSON.stringify({ imageId, reportDigest })}\n`);
  }

  async verdictOf(imageId: string): Promise<string | undefined> {
    const text = await fs.readFile(this.verdictPath(imageId), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as { imageId?: unknown; reportDigest?: unknown };
    return record.imageId === imageId && typeof record.reportDigest === 'string' ? record.reportDigest : undefined;
  }

  private verdictPath(imageId: string): string {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(imageId)?.[1];
    if (!hex) throw new Error(`not an image id: ${imageId}`);
    return join(this.location, 'verdicts', 'sha256', hex);
  }

  private pathOf(target: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(target)) throw new Error(`not a target name: ${target}`);
    return join(this.location, 'targets', `${target}.json`);
  }
}
