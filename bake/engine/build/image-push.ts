import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import { buildMessages, messageError } from './build-messages';
import type { PushAuth, PushResult } from '../types';

/**
 * `docker push REF` through the engine: the engine uploads the layers and the manifest.
 * Resolves with the manifest digest the registry now serves under the tag.
 */
export async function pushImage(
  docker: Dockerode,
  ref: string,
  auth: PushAuth | undefined,
  signal?: AbortSignal,
): Promise<PushResult> {
  const at = ref.lastIndexOf(':');
  const [name, tag] = at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
  let stream: Readable;
  try {
    // dockerode's types give push a callback only; without one it returns a promise.
    // eslint-disable-next-line @typescript-eslint/await-thenable
    stream = (await docker
      .getImage(name)
      .push({ tag, authconfig: auth, abortSignal: signal } as never)) as unknown as Readable;
  } catch (err) {
    if (signal?.aborted) throw new BakeError(`push of ${ref} interrupted`, ExitCode.Interrupted);
    throw new BakeError(`push of ${ref} refused by the engine: ${errorMessage(err)}`, ExitCode.Unavailable);
  }
  let digest: string | undefined;
  let size = 0;
  let failure: string | undefined;
  try {
    for await (const message of buildMessages(stream)) {
      failure = messageError(message) ?? failure;
      const aux = message.aux as { Digest?: string; Size?: number } | undefined;
      if (aux?.Digest) {
        digest = aux.Digest;
        size = aux.Size ?? 0;
      }
    }
  } catch (err) {
    if (signal?.aborted) throw new BakeError(`push of ${ref} interrupted`, ExitCode.Interrupted);
    throw new BakeError(`push of ${ref} broke off: ${errorMessage(err)}`, ExitCode.Unavailable);
  }
  if (failure)
    throw new BakeError(
      `push of ${ref} failed: ${failure.trim()}`,
      /unauthorized|denied|authentication/i.test(failure) ? ExitCode.Usage : ExitCode.Unavailable,
    );
  digest ??= await repoDigest(docker, ref, name);
  if (!digest) throw new BakeError(`push of ${ref} ended without a manifest digest`, ExitCode.Unavailable);
  return { digest, size };
}

/**
 * A containerd image store reports no digest in its push stream; it pushes the image's own
 * index, which the engine then lists among the image's repository digests.
 */
async function repoDigest(docker: Dockerode, ref: string, name: string): Promise<string | undefined> {
  const image = await docker
    .getImage(ref)
    .inspect()
    .catch(() => undefined);
  const entry = image?.RepoDigests?.find((d) => d.startsWith(`${name}@sha256:`));
  return entry?.slice(name.length + 1);
}
