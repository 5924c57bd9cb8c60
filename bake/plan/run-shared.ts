import { createDebianGoSource } from '../golang/debian/debian-source';
import { DownloadCache } from '../golang/download-cache';
import { loadTrustedKeys } from '../golang/trust/trusted-keys';
import type { GoSource, TrustedKey } from '../golang/types';
import type { PlanContext } from './types';

/**
 * What the targets of one run share instead of making it again for each (a run plans a dozen
 * targets and a builder Go for each foreign arch): one download cache, which then hashes each
 * archive once, the trusted keys, parsed once, and Debian's list of Go builds, read from apt
 * once per architecture. Keyed by the run's context, so it ends with the run.
 */
export interface RunShared {
  cache: DownloadCache;
  trustedKeys: Promise<TrustedKey[]>;
  debian: () => GoSource;
}

const byContext = new WeakMap<PlanContext, RunShared>();

export function runShared(ctx: PlanContext): RunShared {
  let shared = byContext.get(ctx);
  if (!shared) {
    const cache = new DownloadCache(ctx.cacheDir);
    let debian: GoSource | undefined;
    shared = {
      cache,
      trustedKeys: loadTrustedKeys({ files: ctx.trustKeys, env: ctx.env }),
      debian: () => (debian ??= createDebianGoSource({ cache, cacheDir: ctx.cacheDir, logger: ctx.logger })),
    };
    // A failed key file fails every target, as before, and is read again by the next run.
    shared.trustedKeys.catch(() => undefined);
    byContext.set(ctx, shared);
  }
  return shared;
}
