import { sha256Hex } from '../common/sha256';
import type { Arch } from '../recipe/types';
import { STEM_IMAGE_REPOSITORY, stageImageRef } from './image-refs';
import { CONTEXT_MTIME, contextFileMtime, DIR_MODE } from './write-context';
import type { PolicyStage, RenderedContext } from './types';

/** A file or directory of the policy layer, as `COPY <dir>/ /` of the written context lays it out. */
export interface PolicyLayerEntry {
  path: string;
  mode: number;
  mtime: Date;
  /** Absent for a directory. */
  content?: Buffer;
}

/**
 * What the policy stage's COPY puts in its layer: the policy tree's files and directories at
 * their place under /, with the modes and times the written context gives them.
 */
export function policyLayer(context: Pick<RenderedContext, 'files'>, policy: PolicyStage): PolicyLayerEntry[] {
  const prefix = `${policy.dir}/`;
  const entries = new Map<string, PolicyLayerEntry>();
  for (const file of context.files) {
    if (!file.path.startsWith(prefix)) continue;
    const path = file.path.slice(prefix.length);
    entries.set(path, { path, mode: file.mode, mtime: contextFileMtime(file.content), content: file.content });
    for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) {
      const dir = path.slice(0, at);
      if (!entries.has(dir)) entries.set(dir, { path: dir, mode: DIR_MODE, mtime: CONTEXT_MTIME });
    }
  }
  return [...entries.values()];
}

/**
 * The stem image's name: a digest of everything its build reads (the Dockerfile above the
 * policy stage, every context file but the policy's, the base), so a policy-only change finds
 * the stem it already has.
 */
export function stemImageRef(
  context: Pick<RenderedContext, 'files'>,
  policy: PolicyStage,
  base: { ref: string; digest: string },
  arch: Arch,
): string {
  const dockerfile = context.files.find((f) => f.path === 'Dockerfile')!.content.toString('utf8');
  const stageAt = dockerfile.indexOf(`\nFROM ${policy.stem} AS `);
  if (stageAt === -1) throw new Error(`the Dockerfile has no stage from ${policy.stem}`);
  return stageImageRef(STEM_IMAGE_REPOSITORY, arch, {
    dockerfile: dockerfile.slice(0, stageAt),
    files: context.files
      .filter((f) => f.path !== 'Dockerfile' && !f.path.startsWith(`${policy.dir}/`))
      .map((f) => [f.path, f.mode, sha256Hex(f.content)]),
    base,
  });
}
