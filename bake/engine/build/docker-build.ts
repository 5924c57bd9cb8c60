import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { BakeError, ExitCode, errorMessage } from '../../common/errors';
import { buildFailure } from './build-failure';
import { buildMessages, messageError, messageImageId, TRACE_ID } from './build-messages';
import { packContext } from './build-context';
import { BuildTrace } from './build-trace';
import { decodeTrace } from './trace-messages';
import type { BuildRequest, BuildResult } from '../types';

/** How long the best-effort `/build/cancel` call may take; the disconnect alone also cancels. */
const CANCEL_TIMEOUT_MS = 5000;

/**
 * Runs one build on the engine's BuildKit backend and returns the untagged image id.
 * Tagging is left to the caller on purpose: an interrupted or failed build then can never
 * leave a tag behind, whatever moment the interruption hits.
 */
export async function runDockerBuild(
  docker: Dockerode,
  request: BuildRequest,
  clock: () => number = Date.now,
): Promise<BuildResult> {
  const label = `${request.tags[0] ?? basename(request.contextDir)} (${request.platform})`;
  if (request.signal?.aborted) throw interrupted(label);
  // The HTTP API opens no BuildKit session, so a secret would silently be missing: never here.
  if (request.secrets?.length)
    throw new BakeError(`build of ${label} has secrets, which the engine's HTTP build API cannot carry`);
  const started = clock();
  const buildId = `bake-${randomUUID()}`;
  const connection = new AbortController();
  let response: Readable | undefined;
  const onAbort = () => {
    // Closing the connection makes the engine cancel the build's context; the explicit
    // cancel covers engines that notice a closed connection only at their next write.
    connection.abort();
    response?.destroy();
    void cancelOnEngine(docker, buildId);
  };
  request.signal?.addEventListener('abort', onAbort, { once: true });

  const context = packContext(request.contextDir);
  const trace = new BuildTrace();
  let imageId: string | undefined;
  let failure: string | undefined;
  try {
    const options = {
      version: '2' as const,
      platform: request.platform,
      labels: request.labels,
      buildargs: request.buildArgs,
      ...(request.target ? { target: request.target } : {}),
      ...(request.noCache ? { nocache: true } : {}),
      buildid: buildId,
      abortSignal: connection.signal,
    };
    response = (await docker.buildImage(context.stream, options as Dockerode.ImageBuildOptions)) as Readable;
    if (request.signal?.aborted) response.destroy();
    for await (const message of buildMessages(response)) {
      if (message.id === TRACE_ID && typeof message.aux === 'string') {
        for (const event of trace.apply(decodeTrace(message.aux))) request.onProgress?.(event);
        continue;
      }
      imageId = messageImageId(message) ?? imageId;
      failure = messageError(message) ?? failure;
    }
  } catch (err) {
    if (request.signal?.aborted) throw interrupted(label);
    throw engineError(label, err);
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    context.destroy();
  }
  if (request.signal?.aborted) throw interrupted(label);
  if (failure) throw buildFailure(label, failure, trace.failedStep());
  if (!imageId) {
    throw new BakeError(
      `build of ${label} ended without an image id: the engine closed the connection (was it stopped?)`,
      ExitCode.EngineUnavailable,
    );
  }
  return { imageId, durationMs: clock() - started, contextBytes: context.bytes(), ...trace.counts() };
}

function interrupted(label: string): BakeError {
  return new BakeError(`build of ${label} interrupted`, ExitCode.Interrupted);
}

/** A refused request (HTTP status) is the build's fault; a broken connection is the engine's. */
function engineError(label: string, err: unknown): BakeError {
  const status = (err as { statusCode?: number }).statusCode;
  if (status)
    return new BakeError(`build of ${label} refused by the engine: ${errorMessage(err).trim()}`, ExitCode.Failure);
  return new BakeError(`build of ${label} lost the engine: ${errorMessage(err)}`, ExitCode.EngineUnavailable);
}

async function cancelOnEngine(docker: Dockerode, buildId: string): Promise<void> {
  await new Promise<void>((resolve) => {
    docker.modem.dial(
      {
        path: '/build/cancel?',
        method: 'POST',
        options: { id: buildId },
        abortSignal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
        statusCodes: { 200: true, 204: true, 404: true, 500: true },
      },
      () => resolve(),
    );
  });
}
