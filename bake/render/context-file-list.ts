import { sha256Hex } from '../common/sha256';
import type { GoDistribution } from '../golang/types';
import type { PlannedFile } from '../plan/types';
import type { RenderedContext } from './types';

/**
 * What the plan records of a context: every file with its digest and size, sorted by path;
 * the Go archive with the sha256 and size it was verified with (it is not read here).
 */
export function contextFileList(ctx: RenderedContext, go: Pick<GoDistribution, 'size'>): PlannedFile[] {
  const files: PlannedFile[] = ctx.files.map((f) => ({
    path: f.path,
    sha256: sha256Hex(f.content),
    size: f.content.length,
  }));
  files.push({ path: ctx.goArchive.contextPath, sha256: ctx.goArchive.sha256, size: go.size });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
