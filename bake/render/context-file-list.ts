import { sha256Hex } from '../common/sha256';
import type { PlannedFile } from '../plan/types';
import type { RenderedContext } from './types';

/** What the plan records of a context: every file with its digest and size, sorted by path. */
export function contextFileList(ctx: RenderedContext): PlannedFile[] {
  return ctx.files
    .map((f) => ({ path: f.path, sha256: sha256Hex(f.content), size: f.content.length }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
