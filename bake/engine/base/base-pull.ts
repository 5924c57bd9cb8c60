import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { errorMessage } from '../../common/errors';
import { buildMessages, messageError } from '../build/build-messages';
import type { Platform, PullOutcome } from '../types';

/** The registry must start answering within this long; a download in progress is never cut. */
export const PULL_FIRST_MESSAGE_MS = 8000;

const UNREACHABLE =
  /no such host|lookup .* on |dial tcp|i\/o timeout|connection refused|network is unreachable|no route to host|TLS handshake timeout|Client\.Timeout|context deadline exceeded|temporary failure in name resolution|registry did not answer/i;

/** Whether a pull failure means "no registry reachable" (as opposed to "the registry said no"). */
export function isUnreachable(message: string): boolean {
  return UNREACHABLE.test(message);
}

/**
 * Pulls `ref` (pinned by digest) for one platform. Offline it fails in well under a second
 * (the engine's DNS lookup fails); a registry that accepts the connection but says nothing
 * is given PULL_FIRST_MESSAGE_MS.
 */
export async function pullImage(
  docker: Dockerode,
  ref: string,
  platform: Platform,
  signal?: AbortSignal,
): Promise<PullOutcome> {
  const connection = new AbortController();
  const relay = () => connection.abort();
  signal?.addEventListener('abort', relay, { once: true });
  let stream: Readable | undefined;
  const silence = setTimeout(() => {
    connection.abort();
    stream?.destroy(new Error(`the registry did not answer within ${PULL_FIRST_MESSAGE_MS / 1000} s`));
  }, PULL_FIRST_MESSAGE_MS);
  try {
    stream = (await docker.pull(ref, { platform, abortSignal: connection.signal })) as Readable;
    let failure: string | undefined;
    for await (const message of buildMessages(stream)) {
      clearTimeout(silence);
      failure = messageError(message) ?? failure;
    }
    if (failure) return { pulled: false, unreachable: isUnreachable(failure), reason: failure };
    return { pulled: true };
  } catch (err) {
    if (signal?.aborted) throw err;
    const reason = connection.signal.aborted
      ? `the registry did not answer within ${PULL_FIRST_MESSAGE_MS / 1000} s`
      : errorMessage(err);
    return { pulled: false, unreachable: isUnreachable(reason), reason: reason.trim() };
  } finally {
    clearTimeout(silence);
    signal?.removeEventListener('abort', relay);
  }
}
