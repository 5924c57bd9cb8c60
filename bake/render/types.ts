import type { ImageKind } from '../recipe/types';

export interface RenderedFile {
  /** Path inside the build context, forward slashes. */
  path: string;
  mode: number;
  content: Buffer;
}

/** A build context in memory: everything but the Go archive, which is referenced by path. */
export interface RenderedContext {
  kind: ImageKind;
  files: RenderedFile[];
  goArchive: { contextPath: string; sha256: string };
}
