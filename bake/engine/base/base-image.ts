import { join } from 'node:path';
import { BakeError, ExitCode } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Target } from '../../recipe/types';
import { bootstrapBase } from './base-bootstrap';
import { splitRef } from '../docker-engine';
import { withFileLock } from '../../common/file-lock';
import type { ImageEngine } from '../types';
import type { BaseImage } from './types';

export interface BaseImageOptions {
  cacheDir: string;
  logger: Logger;
  signal?: AbortSignal;
  allowInstall?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The plan's archive state of a bootstrapped base (see BootstrapOptions). */
  archiveDigest?: string;
}

/**
 * The target's base image, present in the engine: pulled by its pinned digest, or, when no
 * registry can provide it and the recipe allows it, bootstrapped from the distribution's
 * archive. Neither possible: fail at once with one line, not after minutes of retries.
 */
export async function ensureBaseImage(
  target: Target,
  engine: ImageEngine,
  options: BaseImageOptions,
): Promise<BaseImage> {
  const ref = target.base.ref;
  const digest = ref.slice(ref.lastIndexOf('@') + 1);
  const pinnedTag = pulledBaseTag(ref, target.arch);
  const present = await engine.inspectImage(pinnedTag);
  if (present && present.architecture === target.arch) return { imageRef: pinnedTag, digest, bootstrapped: false };

  const platform = `linux/${target.arch}` as const;
  // One pull per digest at a time: the engine keeps one platform per reference, so two
  // arches pulled at once could leave the wrong one under the name before it is tagged.
  const outcome = await withFileLock(
    join(options.cacheDir, 'locks', `pull-${digest.replace(/^sha256:/, '').slice(0, 16)}.lock`),
    async () => {
      const result = await engine.pullImage(ref, platform, options.signal);
      if (options.signal?.aborted) throw new BakeError(`pulling ${ref} interrupted`, ExitCode.Interrupted);
      if (!result.pulled) return result;
      const image = await engine.inspectImage(ref);
      if (!image || image.architecture !== target.arch) {
        throw new BakeError(
          `base ${ref} for ${target.name} was pulled but is ${image?.architecture ?? 'missing'}, not ${target.arch}`,
          ExitCode.Unavailable,
        );
      }
      const { repo, tag } = splitRef(pinnedTag);
      await engine.tag(image.id, repo, tag);
      return result;
    },
    { timeoutMs: 30 * 60_000 },
  );
  if (outcome.pulled) return { imageRef: pinnedTag, digest, bootstrapped: false };

  const why = outcome.unreachable
    ? 'no registry reachable'
    : `registry: ${outcome.reason.replace(/\s+/g, ' ').slice(0, 200)}`;
  if (!target.base.bootstrap || target.family !== 'debian') {
    throw new BakeError(
      `base ${shortRef(ref)} for ${target.name} cannot be pulled (${why}) and the recipe does not allow bootstrapping`,
      ExitCode.Unavailable,
    );
  }
  options.logger.info(
    `${target.name}: base ${shortRef(ref)} cannot be pulled (${why}); ` +
      `using a base bootstrapped from the ${target.base.bootstrap.suite} archive`,
  );
  const built = await bootstrapBase(target, engine, options);
  return { ...built, bootstrapped: true };
}

/** `bake-base/debian:arm64-17122fe3d669`: one name per arch, so both arches of one digest coexist. */
export function pulledBaseTag(ref: string, arch: string): string {
  const at = ref.lastIndexOf('@');
  const digest = ref.slice(at + 1).replace(/^sha256:/, '');
  const name = splitRef(ref.slice(0, at)).repo.split('/').pop()!.toLowerCase();
  return `bake-base/${name}:${arch}-${digest.slice(0, 12)}`;
}

/** `repo:tag@sha256:0123456789ab…`: enough of the digest to tell bases apart in a message. */
function shortRef(ref: string): string {
  return ref.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '@sha256:$1…');
}
